import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningServer {
  port: number;
  url: string;
  /** Stops accepting connections and resolves when in-flight requests have finished (or the grace period ends). */
  close(graceMs?: number): Promise<void>;
}

/**
 * Request line plus headers may not exceed this; Node answers 431 beyond it before Express sees the request. With the
 * query at most 500 characters (a few KB percent-encoded), no legitimate URL comes close.
 */
export const MAX_HEADER_BYTES = 16 * 1024;

/** Port 0 gives an ephemeral port, so tests boot the real API in-process. */
export async function startServer(app: Express, port: number, host: string): Promise<RunningServer> {
  const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app);
  // A request must arrive in full within this time; slowloris clients are cut off.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}`,
    close: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
