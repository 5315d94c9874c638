import http from 'node:http';
import https from 'node:https';
import { EngineRequestError, EngineTimeoutError, EngineUnavailableError, errorFromAnswer } from './errors';

/**
 * The one HTTP path to an engine node: every request of the adapter goes through here, the client library's included
 * (node-engine.ts hands it `clientHttp`), so timeouts, keep-alive and the mapping of failures to our errors
 * (errors.ts errorFromAnswer) exist once. Why node:http rather than the client's fetch (undici): its web streams cost
 * the API more CPU per search than the rest of the request together (benchmark profile: request body sent as a
 * stream in several writes, response read through a byte stream); node:http with a keep-alive agent sends one write
 * and reads plain buffers.
 */
export interface JsonTransportOptions {
  url: string;
  apiKey?: string | undefined;
  timeoutMs: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** Another timeout than the engine's (a health probe's is far shorter). */
  timeoutMs?: number;
  contentType?: string;
  /**
   * Whether the request may be sent again when a reused keep-alive socket turns out to have been closed by the engine
   * before it took the request. Reads may; writes are not repeated (a second task would be enqueued).
   */
  repeatable?: boolean;
}

export class JsonTransport {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly send: typeof http.request;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: JsonTransportOptions) {
    this.base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
    const secure = this.base.protocol === 'https:';
    this.send = secure ? https.request : http.request;
    // Idle sockets are dropped before the engine's own keep-alive (5 s) would close them under a request.
    this.agent = new (secure ? https.Agent : http.Agent)({ keepAlive: true, maxFreeSockets: 64, timeout: 4_000 });
    this.headers = {
      // Loopback or LAN: compression costs both ends more CPU than it saves in time.
      'accept-encoding': 'identity',
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    };
  }

  /** POSTs a serialised JSON body (a search: repeatable). */
  post<T = unknown>(path: string, body: string): Promise<T> {
    return this.request<T>('POST', path, body, { repeatable: true });
  }

  get<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, undefined, { repeatable: true, ...options });
  }

  /** `path` (with its query) under the engine URL; the JSON answer parsed, or undefined when it is empty. */
  async request<T = unknown>(method: HttpMethod, path: string, body: string | undefined, options: RequestOptions = {}): Promise<T> {
    const target = new URL(path.replace(/^\//, ''), this.base);
    try {
      return (await this.once(method, target, body, options)) as T;
    } catch (err) {
      if (err instanceof StaleSocketError && (options.repeatable ?? false)) return (await this.once(method, target, body, options)) as T;
      if (err instanceof StaleSocketError) throw new EngineUnavailableError('search engine closed the connection', { cause: err });
      throw err;
    }
  }

  /**
   * The client library's HTTP function (its `httpClient` option): the client builds the request, this sends it.
   * Only methods that read are repeated on a stale socket.
   */
  readonly clientHttp = async (input: string | URL | Request, init?: RequestInit): Promise<unknown> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const method = (init?.method ?? 'GET').toUpperCase() as HttpMethod;
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const contentType = new Headers(init?.headers).get('content-type') ?? undefined;
    const path = url.href.startsWith(this.base.href) ? url.href.slice(this.base.href.length) : `${url.pathname}${url.search}`;
    return this.request(method, path, body, { contentType, repeatable: method === 'GET' || /\/(multi-search|search|facet-search|documents\/fetch)$/.test(url.pathname) });
  };

  private once(method: HttpMethod, target: URL, body: string | undefined, options: RequestOptions): Promise<unknown> {
    const headers: Record<string, string> = { ...this.headers };
    if (body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    return new Promise((resolve, reject) => {
      const req = this.send(target, { method, agent: this.agent, headers }, (res) => {
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
          if (status >= 200 && status < 300) resolve(parsed);
          else reject(errorFromAnswer(status, parsed));
        });
      });
      const timer = setTimeout(() => {
        req.destroy();
        reject(new EngineTimeoutError('search engine timed out'));
      }, options.timeoutMs ?? this.options.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (req.reusedSocket && err.code === 'ECONNRESET') reject(new StaleSocketError());
        else reject(new EngineUnavailableError('search engine unreachable', { cause: err }));
      });
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

class StaleSocketError extends Error {}
