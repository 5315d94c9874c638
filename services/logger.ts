import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logs. Keys and credentials are redacted wherever they appear in a logged object, so a careless log
 * line cannot leak the engine's master key.
 */
export function createLogger(level: string, name: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    redact: {
      paths: ['*.apiKey', '*.masterKey', '*.MEILI_MASTER_KEY', '*.MEILI_API_KEY', '*.MEILI_SEARCH_KEY', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  };
  // A destination other than stdout is for tests that read the log output back.
  return destination ? pino(options, destination) : pino(options);
}

export const silentLogger: Logger = pino({ level: 'silent' });
