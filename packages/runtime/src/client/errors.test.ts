import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ApiError,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isServerTimeout,
  isServiceUnavailable,
  isTimeout,
  isTooManyRequests,
  isUnauthorized,
  NetworkError,
  networkReasonFor,
  reasonForStatusCode,
} from './errors.ts';

function statusBody(code: number, reason: string, message: string, details: object = {}): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason,
    message,
    details,
  });
}

describe('ApiError.fromResponse', () => {
  test('takes reason, message and code from a Status body', () => {
    const error = ApiError.fromResponse(
      404,
      statusBody(404, 'NotFound', 'gadgets "a" not found'),
      'GET /apis/x',
    );
    assert.equal(error.reason, 'NotFound');
    assert.equal(error.code, 404);
    assert.equal(error.status?.message, 'gadgets "a" not found');
    assert.equal(error.request, 'GET /apis/x');
    assert.match(error.message, /gadgets "a" not found \(404 NotFound, GET \/apis\/x\)/);
    assert.ok(isNotFound(error));
    assert.ok(!isConflict(error));
  });

  test('keeps the field causes of Invalid', () => {
    const body = statusBody(422, 'Invalid', 'Gadget "a" is invalid', {
      causes: [{ reason: 'FieldValueInvalid', message: 'must be <= 100', field: 'spec.size' }],
    });
    const error = ApiError.fromResponse(422, body);
    assert.ok(isInvalid(error));
    assert.deepEqual(error.causes, [
      { reason: 'FieldValueInvalid', message: 'must be <= 100', field: 'spec.size' },
    ]);
  });

  test('distinguishes AlreadyExists from Conflict although both are 409', () => {
    const exists = ApiError.fromResponse(409, statusBody(409, 'AlreadyExists', 'exists'));
    const conflict = ApiError.fromResponse(409, statusBody(409, 'Conflict', 'modified'));
    assert.ok(isAlreadyExists(exists) && !isConflict(exists));
    assert.ok(isConflict(conflict) && !isAlreadyExists(conflict));
  });

  test('treats 410 Gone and Expired alike for isGone', () => {
    assert.ok(isGone(ApiError.fromResponse(410, statusBody(410, 'Expired', 'too old resource version'))));
    assert.ok(isGone(ApiError.fromResponse(410, statusBody(410, 'Gone', 'gone'))));
    assert.ok(isGone(ApiError.fromResponse(410, '')));
  });

  test('reads retryAfterSeconds from the Status details or the Retry-After header', () => {
    const fromDetails = ApiError.fromResponse(
      429,
      statusBody(429, 'TooManyRequests', 'slow down', { retryAfterSeconds: 3 }),
    );
    assert.ok(isTooManyRequests(fromDetails));
    assert.equal(fromDetails.retryAfterSeconds, 3);
    const fromHeader = ApiError.fromResponse(
      429,
      'Too many requests, please try again later.',
      undefined,
      '7',
    );
    assert.ok(isTooManyRequests(fromHeader));
    assert.equal(fromHeader.retryAfterSeconds, 7);
  });

  test('derives the reason from the status code when the body is not a Status', () => {
    const error = ApiError.fromResponse(503, '<html>upstream unavailable</html>');
    assert.equal(error.reason, 'ServiceUnavailable');
    assert.ok(isServiceUnavailable(error));
    assert.match(error.message, /upstream unavailable/);
    assert.ok(isUnauthorized(ApiError.fromResponse(401, 'Unauthorized')));
    assert.ok(isForbidden(ApiError.fromResponse(403, '')));
    assert.ok(isTimeout(ApiError.fromResponse(504, '')));
  });

  test('maps codes the way client-go does', () => {
    assert.equal(reasonForStatusCode(400), 'BadRequest');
    assert.equal(reasonForStatusCode(405), 'MethodNotAllowed');
    assert.equal(reasonForStatusCode(415), 'UnsupportedMediaType');
    assert.equal(reasonForStatusCode(422), 'Invalid');
    assert.equal(reasonForStatusCode(502), 'InternalError');
    assert.equal(reasonForStatusCode(418), 'Unknown');
  });

  test('an unknown reason in the body falls back to the status code', () => {
    assert.equal(ApiError.fromResponse(409, statusBody(409, 'SomethingNew', 'x')).reason, 'Conflict');
  });
});

describe('ApiError.fromStatus', () => {
  test('builds the error of an in-stream watch ERROR event', () => {
    const error = ApiError.fromStatus({
      kind: 'Status',
      code: 500,
      reason: 'ServerTimeout',
      message: 'try again',
    });
    assert.ok(isServerTimeout(error));
    assert.equal(error.code, 500);
  });
});

describe('NetworkError', () => {
  test('classifies socket, TLS, DNS and timeout failures', () => {
    assert.equal(networkReasonFor('ECONNREFUSED'), 'ConnectionRefused');
    assert.equal(networkReasonFor('ECONNRESET'), 'ConnectionReset');
    assert.equal(networkReasonFor('UND_ERR_SOCKET'), 'ConnectionReset');
    assert.equal(networkReasonFor('UND_ERR_HEADERS_TIMEOUT'), 'Timeout');
    assert.equal(networkReasonFor('DEPTH_ZERO_SELF_SIGNED_CERT'), 'TLS');
    assert.equal(networkReasonFor('ERR_TLS_CERT_ALTNAME_INVALID'), 'TLS');
    assert.equal(networkReasonFor('ENOTFOUND'), 'DNS');
    assert.equal(networkReasonFor(undefined), 'Other');
  });

  test('keeps the cause and finds the code of a wrapped error', () => {
    const socketError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    const wrapped = new Error('fetch failed', { cause: socketError });
    const error = NetworkError.from(wrapped, 'GET /api/v1/pods');
    assert.equal(error.reason, 'ConnectionRefused');
    assert.equal(error.errorCode, 'ECONNREFUSED');
    assert.equal(error.cause, wrapped);
    assert.match(error.message, /^GET \/api\/v1\/pods: fetch failed/);
  });
});
