/**
 * Errors of the API client, one class per failure domain:
 * - {@link ApiError}: the server answered with a failure (a metav1.Status or an HTTP error).
 * - {@link NetworkError}: no usable answer (connection refused or reset, TLS, DNS, timeout).
 * - {@link ClientUsageError}: the call itself is wrong (a namespace for a cluster-scoped kind,
 *   a missing name, ...) and was not sent.
 * Aborting a call through its `signal` rejects with the signal's reason, not with these.
 */
import type { Status, StatusCause } from '../api/index.ts';
import { forbiddenHint } from './forbidden.ts';

/** metav1.StatusReason values, plus `Unknown` when neither the body nor the HTTP code says more. */
export type ApiErrorReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'Invalid'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'
  | 'ServerTimeout'
  | 'StoreReadError'
  | 'Unknown';

const knownReasons = new Set<string>([
  'BadRequest',
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'MethodNotAllowed',
  'NotAcceptable',
  'AlreadyExists',
  'Conflict',
  'Gone',
  'Expired',
  'RequestEntityTooLarge',
  'UnsupportedMediaType',
  'Invalid',
  'TooManyRequests',
  'InternalError',
  'ServiceUnavailable',
  'Timeout',
  'ServerTimeout',
  'StoreReadError',
]);

/** The reason client-go derives from a bare HTTP status code (no Status body). */
export function reasonForStatusCode(code: number): ApiErrorReason {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return 'Conflict';
    case 410:
      return 'Gone';
    case 413:
      return 'RequestEntityTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalError';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return code > 500 ? 'InternalError' : 'Unknown';
  }
}

export interface ApiErrorInit {
  /** The HTTP status code (or the Status `code` of an in-stream watch error). */
  readonly code: number;
  /** The metav1.Status the server sent, when it sent one. */
  readonly status?: Status;
  readonly retryAfterSeconds?: number;
  /** `METHOD path` of the failed request, for messages and logs. */
  readonly request?: string;
  readonly cause?: unknown;
}

/** The API server rejected a request. `reason` is the machine-readable why; use the `isX` guards. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly reason: ApiErrorReason;
  readonly code: number;
  readonly status: Status | undefined;
  /** Field-level causes, e.g. `{ field: 'spec.replicas', reason: 'FieldValueInvalid', message }` for Invalid. */
  readonly causes: readonly StatusCause[];
  /** Seconds to wait before retrying (429 and ServerTimeout), from the Status or the Retry-After header. */
  readonly retryAfterSeconds: number | undefined;
  /** `METHOD path` of the failed request. */
  readonly request: string | undefined;

  constructor(reason: ApiErrorReason, message: string, init: ApiErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.reason = reason;
    this.code = init.code;
    this.status = init.status;
    this.causes = init.status?.details?.causes ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds ?? init.status?.details?.retryAfterSeconds;
    this.request = init.request;
  }

  /**
   * Builds the error for a failed response from its status code and body, as client-go does: a
   * Status body supplies reason, message and details; otherwise the code decides the reason.
   */
  static fromResponse(code: number, body: string, request?: string, retryAfterHeader?: string): ApiError {
    const status = parseStatus(body);
    const retryAfter = parseRetryAfter(retryAfterHeader);
    const reason =
      status?.reason !== undefined && knownReasons.has(status.reason)
        ? (status.reason as ApiErrorReason)
        : reasonForStatusCode(code);
    const detail = status?.message ?? (body.length > 0 && body.length <= 512 ? body.trim() : '');
    const hint = reason === 'Forbidden' ? forbiddenHint(detail) : '';
    const message = `${detail || 'the server returned an error'} (${code} ${reason}${request ? `, ${request}` : ''})${hint}`;
    return new ApiError(reason, message, {
      code,
      ...(status ? { status } : {}),
      ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
      ...(request ? { request } : {}),
    });
  }

  /** Builds the error for an in-stream watch ERROR event. */
  static fromStatus(status: Status, request?: string): ApiError {
    const code = status.code ?? 500;
    const reason =
      status.reason !== undefined && knownReasons.has(status.reason)
        ? (status.reason as ApiErrorReason)
        : reasonForStatusCode(code);
    return new ApiError(reason, `${status.message ?? 'watch error'} (${code} ${reason})`, {
      code,
      status,
      ...(request ? { request } : {}),
    });
  }
}

function parseStatus(body: string): Status | undefined {
  if (body.length === 0 || body.charCodeAt(0) !== 0x7b /* { */) return undefined;
  try {
    const parsed = JSON.parse(body) as Status | null;
    return parsed !== null && parsed.kind === 'Status' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function parseRetryAfter(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Why a request got no usable answer. `MalformedResponse`: the server's bytes could not be
 * decoded (e.g. a truncated watch event), which callers treat like a dropped connection.
 */
export type NetworkErrorReason =
  'ConnectionRefused' | 'ConnectionReset' | 'Timeout' | 'TLS' | 'DNS' | 'MalformedResponse' | 'Other';

/** The request got no usable answer. `cause` is the underlying socket/TLS/undici error. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  readonly reason: NetworkErrorReason;
  /** The system or library error code, e.g. `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`. */
  readonly errorCode: string | undefined;
  readonly request: string | undefined;

  constructor(
    reason: NetworkErrorReason,
    message: string,
    init: { errorCode?: string; request?: string; cause?: unknown },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.reason = reason;
    this.errorCode = init.errorCode;
    this.request = init.request;
  }

  /** Classifies a low-level error (Node system error, TLS error, undici error). */
  static from(error: unknown, request?: string): NetworkError {
    const errorCode = errorCodeOf(error);
    const reason = networkReasonFor(errorCode);
    const detail = error instanceof Error ? error.message : String(error);
    return new NetworkError(
      reason,
      `${request ? `${request}: ` : ''}${detail}${errorCode ? ` (${errorCode})` : ''}`,
      {
        ...(errorCode ? { errorCode } : {}),
        ...(request ? { request } : {}),
        cause: error,
      },
    );
  }
}

function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // undici wraps connect failures; the socket error sits in `cause`.
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? undefined : errorCodeOf(cause);
}

export function networkReasonFor(errorCode: string | undefined): NetworkErrorReason {
  if (errorCode === undefined) return 'Other';
  switch (errorCode) {
    case 'ECONNREFUSED':
      return 'ConnectionRefused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return 'ConnectionReset';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'Timeout';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'DNS';
    default:
      if (
        errorCode.startsWith('ERR_TLS') ||
        errorCode.startsWith('ERR_SSL') ||
        errorCode.includes('CERT') ||
        errorCode === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
        errorCode === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
      ) {
        return 'TLS';
      }
      return 'Other';
  }
}

export type ClientUsageErrorReason =
  | 'NamespaceRequired'
  | 'NamespaceNotAllowed'
  | 'NamespaceMismatch'
  | 'NameRequired'
  | 'KindMismatch'
  | 'FieldManagerRequired'
  | 'InvalidOption'
  | 'KubeConfig';

/** The call is wrong as written and was not sent; the message says what to change. */
export class ClientUsageError extends Error {
  override readonly name = 'ClientUsageError';
  readonly reason: ClientUsageErrorReason;

  constructor(reason: ClientUsageErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function isNetworkError(error: unknown): error is NetworkError {
  return error instanceof NetworkError;
}

function hasReason(error: unknown, reason: ApiErrorReason, code: number): error is ApiError {
  return (
    error instanceof ApiError &&
    (error.reason === reason || (error.reason === 'Unknown' && error.code === code))
  );
}

/** 404: the object (or the resource type) does not exist. */
export function isNotFound(error: unknown): error is ApiError {
  return hasReason(error, 'NotFound', 404);
}
/** 409 on create: an object with that name exists. */
export function isAlreadyExists(error: unknown): error is ApiError {
  return error instanceof ApiError && error.reason === 'AlreadyExists';
}
/** 409 from a stale resourceVersion (optimistic concurrency), a failed precondition or an apply conflict. */
export function isConflict(error: unknown): error is ApiError {
  return hasReason(error, 'Conflict', 409);
}
/** 422: the object failed validation; see `causes` for the fields. */
export function isInvalid(error: unknown): error is ApiError {
  return hasReason(error, 'Invalid', 422);
}
export function isForbidden(error: unknown): error is ApiError {
  return hasReason(error, 'Forbidden', 403);
}
export function isUnauthorized(error: unknown): error is ApiError {
  return hasReason(error, 'Unauthorized', 401);
}
export function isBadRequest(error: unknown): error is ApiError {
  return hasReason(error, 'BadRequest', 400);
}
export function isMethodNotAllowed(error: unknown): error is ApiError {
  return hasReason(error, 'MethodNotAllowed', 405);
}
/** 410: the requested resourceVersion or continue token is too old (reason Gone or Expired). */
export function isGone(error: unknown): error is ApiError {
  return (
    error instanceof ApiError && (error.reason === 'Gone' || error.reason === 'Expired' || error.code === 410)
  );
}
/** 429: throttled (API priority and fairness, or too many requests); honour `retryAfterSeconds`. */
export function isTooManyRequests(error: unknown): error is ApiError {
  return hasReason(error, 'TooManyRequests', 429);
}
/** 504 Timeout: the request could not complete in time. */
export function isTimeout(error: unknown): error is ApiError {
  return hasReason(error, 'Timeout', 504);
}
/** 500 ServerTimeout: the server could not finish in time and suggests a retry. */
export function isServerTimeout(error: unknown): error is ApiError {
  return error instanceof ApiError && error.reason === 'ServerTimeout';
}
export function isInternalError(error: unknown): error is ApiError {
  return hasReason(error, 'InternalError', 500);
}
export function isServiceUnavailable(error: unknown): error is ApiError {
  return hasReason(error, 'ServiceUnavailable', 503);
}
