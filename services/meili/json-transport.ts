import http from 'node:http';
import https from 'node:https';
import { EngineRequestError, EngineTimeoutError, EngineUnavailableError } from './errors';

/**
 * A lean POST-JSON path to the engine for the search hot path. The client library goes through fetch (undici), whose
 * web streams cost the API more CPU per search than the rest of the request together (benchmark profile: request body
 * sent as a stream in several writes, response read through a byte stream); node:http with a keep-alive agent sends
 * one write and reads plain buffers. Errors come out as the same EngineError types the adapter uses everywhere.
 */
export interface JsonTransportOptions {
  url: string;
  apiKey?: string | undefined;
  timeoutMs: number;
}

export class JsonTransport {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: JsonTransportOptions) {
    this.base = new URL(options.url);
    const secure = this.base.protocol === 'https:';
    this.request = secure ? https.request : http.request;
    // Idle sockets are dropped before the engine's own keep-alive (5 s) would close them under a request.
    this.agent = new (secure ? https.Agent : http.Agent)({ keepAlive: true, maxFreeSockets: 64, timeout: 4_000 });
    this.headers = {
      'content-type': 'application/json',
      // Loopback or LAN: compression costs both ends more CPU than it saves in time.
      'accept-encoding': 'identity',
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    };
  }

  /**
   * POSTs `body` (already serialised) to `path` under the engine URL and parses the JSON answer. Only for requests that
   * are safe to repeat: one retry when a reused keep-alive socket turns out to have been closed by the engine.
   */
  async post<T>(path: string, body: string): Promise<T> {
    return this.send<T>('POST', path, body, this.options.timeoutMs);
  }

  /** GETs `path` (a health probe: `timeoutMs` is usually far shorter than the engine timeout). */
  async get<T>(path: string, timeoutMs = this.options.timeoutMs): Promise<T> {
    return this.send<T>('GET', path, undefined, timeoutMs);
  }

  private async send<T>(method: 'GET' | 'POST', path: string, body: string | undefined, timeoutMs: number): Promise<T> {
    try {
      return await this.once<T>(method, path, body, timeoutMs);
    } catch (err) {
      if (err instanceof StaleSocketError) return this.once<T>(method, path, body, timeoutMs);
      throw err;
    }
  }

  private once<T>(method: 'GET' | 'POST', path: string, body: string | undefined, timeoutMs: number): Promise<T> {
    const target = new URL(path.replace(/^\//, ''), this.base.href.endsWith('/') ? this.base.href : `${this.base.href}/`);
    const headers = body === undefined ? this.headers : { ...this.headers, 'content-length': String(Buffer.byteLength(body)) };
    return new Promise<T>((resolve, reject) => {
      const req = this.request(
        target,
        { method, agent: this.agent, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => reject(new EngineUnavailableError('search engine connection failed', { cause: err })));
          res.on('end', () => {
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            let parsed: unknown;
            try {
              parsed = text === '' ? undefined : JSON.parse(text);
            } catch (err) {
              reject(new EngineRequestError(`search engine answered ${status} with invalid JSON`, undefined, { cause: err }));
              return;
            }
            if (status >= 200 && status < 300) resolve(parsed as T);
            else reject(apiError(status, parsed));
          });
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        reject(new EngineTimeoutError('search engine timed out'));
      }, timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (req.reusedSocket && err.code === 'ECONNRESET') reject(new StaleSocketError());
        else reject(new EngineUnavailableError('search engine unreachable', { cause: err }));
      });
      if (body === undefined) req.end();
      else req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

class StaleSocketError extends Error {}

/** The engine's error answer ({message, code, type, link}) as our error; 5xx and 429 mean "not available now". */
function apiError(status: number, body: unknown): Error {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { message?: unknown; code?: unknown };
  const code = typeof b.code === 'string' ? b.code : undefined;
  const message = typeof b.message === 'string' ? b.message : `HTTP ${status}`;
  if (status >= 500 || status === 429) return new EngineUnavailableError(`search engine answered ${status}: ${message}`);
  return new EngineRequestError(`search engine rejected the request: ${message}`, code);
}
