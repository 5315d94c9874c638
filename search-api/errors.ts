import type {} from 'pino-http';
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../services/logger';
import { EngineError, EngineUnavailableError, IndexSwapInProgressError } from '../services/meili/errors';

/** A client mistake with the parameter it concerns: answered 400 with the field named. */
export class BadRequestError extends Error {
  override name = 'BadRequestError';
  constructor(
    message: string,
    readonly field?: string,
    readonly status = 400,
    readonly code = 'invalid_parameter',
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

export function fromZodError(err: ZodError): BadRequestError {
  const issue = err.issues[0];
  // The parameter, not the position inside it: `lang`, not `lang.0`.
  const field = issue?.path[0] !== undefined ? String(issue.path[0]) : undefined;
  return new BadRequestError(`${field ?? 'request'}: ${issue?.message ?? 'invalid'}`, field);
}

/** One mapping from errors to HTTP answers; nothing internal (stack, engine message) reaches the client. */
export function toHttpError(err: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof ZodError) err = fromZodError(err);
  if (err instanceof BadRequestError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } } };
  }
  if (err instanceof NotFoundError) return { status: 404, body: { error: { code: 'not_found', message: err.message } } };
  if (err instanceof IndexSwapInProgressError) {
    return {
      status: 503,
      headers: { 'Retry-After': String(err.retryAfterSeconds) },
      body: { error: { code: 'index_swap_in_progress', message: 'The index is being replaced on the engine nodes; try again in a moment.' } },
    };
  }
  if (err instanceof EngineUnavailableError) {
    return { status: 503, body: { error: { code: 'engine_unavailable', message: 'The search engine is not available right now; try again shortly.' } } };
  }
  if (err instanceof EngineError) {
    return { status: 503, body: { error: { code: 'engine_error', message: 'The search engine could not answer this request.' } } };
  }
  const status = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // body-parser and friends: payload too large, malformed JSON, …
    return { status, body: { error: { code: 'bad_request', message: (err as Error).message } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'Internal error' } } };
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const { status, body, headers } = toHttpError(err);
    if (status >= 500) (req.log ?? log).error({ err }, 'request failed');
    if (headers) res.set(headers);
    res.status(status).json(body);
  };
}
