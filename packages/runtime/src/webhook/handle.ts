/**
 * From a request body to an answer, for both protocols. These functions never throw: every
 * failure becomes a well-formed answer plus a `failure` the server logs and counts:
 * - a request that is not a valid review: an error review with code 400 (or, when not even
 *   the protocol can be told, an HTTP 400 with a metav1.Status);
 * - an admission handler that throws, times out or returns something invalid: an HTTP 500
 *   with a metav1.Status, so the API server applies the webhook's `failurePolicy`;
 * - a conversion that fails: a ConversionReview with result `Failure` (conversion has no
 *   failure policy; the read or write fails with the message).
 */
import type { KubeObject, Status } from '../api/index.ts';
import type { AdmissionResult, AdmissionWebhook } from './admission.ts';
import type { ConversionWebhook } from './conversion.ts';
import { convertObjects } from './conversion.ts';
import { statusCause } from './field-errors.ts';
import type {
  AdmissionResponse,
  AdmissionReviewVersion,
  ConversionResponse,
  WebhookErrorReason,
} from './review.ts';
import {
  admissionVersionOf,
  conversionVersionOf,
  parseAdmissionReview,
  parseConversionReview,
  uidOf,
  WebhookError,
} from './review.ts';

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly uid?: string;
  readonly failure?: { readonly reason: WebhookErrorReason; readonly message: string };
}

export type RequestBody = { readonly json: unknown } | { readonly error: string };

function asWebhookError(error: unknown, fallback: WebhookErrorReason): WebhookError {
  if (error instanceof WebhookError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new WebhookError(fallback, message, { cause: error });
}

/** Runs `work` with a deadline; on timeout the signal aborts and a HandlerTimedOut error rejects. */
async function withTimeout<T>(
  timeoutMs: number,
  what: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new WebhookError('HandlerTimedOut', `${what} did not answer within ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function admissionReview(version: AdmissionReviewVersion, response: AdmissionResponse): unknown {
  return { apiVersion: version, kind: 'AdmissionReview', response };
}

function errored(uid: string, code: number, reason: string, message: string): AdmissionResponse {
  return { uid, allowed: false, status: { status: 'Failure', code, reason, message } };
}

export async function answerAdmission(
  webhook: AdmissionWebhook,
  body: RequestBody,
  defaultTimeoutMs: number,
): Promise<Answer> {
  const json = 'json' in body ? body.json : undefined;
  const version = admissionVersionOf(json) ?? 'admission.k8s.io/v1';
  const uid = uidOf(json);
  const fail = (code: number, error: WebhookError): Answer => ({
    status: 200,
    uid,
    body: admissionReview(
      version,
      errored(uid, code, code === 400 ? 'BadRequest' : 'InternalError', error.message),
    ),
    failure: { reason: error.reason, message: error.message },
  });
  if ('error' in body) return fail(400, new WebhookError('MalformedReview', body.error));
  let review;
  try {
    review = parseAdmissionReview(json);
  } catch (error) {
    return fail(400, asWebhookError(error, 'MalformedReview'));
  }
  let result: AdmissionResult;
  try {
    result = await withTimeout(
      webhook.timeoutMs ?? defaultTimeoutMs,
      `webhook "${webhook.name}"`,
      async (signal) => webhook.handle(review.request, { signal }),
    );
    checkResult(webhook, result);
  } catch (error) {
    // An HTTP error, not a denial: the API server then applies the webhook's failurePolicy
    // (Fail refuses the write with this message, Ignore lets it through), as it would had the
    // webhook been unreachable. A bug in a handler must not block writes an Ignore webhook
    // was declared not to block.
    const cause = asWebhookError(error, 'HandlerFailed');
    const message = `webhook "${webhook.name}" failed: ${cause.message}`;
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: 500,
      reason: 'InternalError',
      message,
    };
    return { status: 500, uid, body: status, failure: { reason: cause.reason, message } };
  }
  return { status: 200, uid, body: admissionReview(version, toResponse(uid, review.request, result)) };
}

function checkResult(webhook: AdmissionWebhook, result: AdmissionResult): void {
  const type = (result as { type?: unknown } | null)?.type;
  if (type !== 'allowed' && type !== 'denied') {
    throw new WebhookError(
      'HandlerFailed',
      `the handler returned ${JSON.stringify(result)}; return allow(), deny() or patchResult()`,
    );
  }
  if (
    result.type === 'allowed' &&
    result.patch !== undefined &&
    result.patch.length > 0 &&
    !webhook.mutating
  ) {
    throw new WebhookError(
      'HandlerFailed',
      'a validating webhook returned a patch; register it with mutating: true',
    );
  }
}

function toResponse(
  uid: string,
  request: {
    readonly name?: string;
    readonly kind: { readonly group: string; readonly kind: string };
    readonly object?: KubeObject;
  },
  result: AdmissionResult,
): AdmissionResponse {
  const warnings =
    result.warnings !== undefined && result.warnings.length > 0 ? { warnings: result.warnings } : {};
  switch (result.type) {
    case 'allowed':
      return {
        uid,
        allowed: true,
        ...warnings,
        ...(result.patch !== undefined &&
          result.patch.length > 0 && {
            patchType: 'JSONPatch' as const,
            patch: Buffer.from(JSON.stringify(result.patch)).toString('base64'),
          }),
      };
    case 'denied': {
      const name = request.name ?? request.object?.metadata.name;
      const status: Status = {
        status: 'Failure',
        code: result.code,
        reason: result.reason,
        message: result.message,
        ...(result.causes !== undefined && {
          details: {
            ...(name !== undefined && { name }),
            group: request.kind.group,
            kind: request.kind.kind,
            causes: result.causes.map(statusCause),
          },
        }),
      };
      return { uid, allowed: false, status, ...warnings };
    }
  }
}

function conversionAnswer(version: string, response: ConversionResponse): unknown {
  return { apiVersion: version, kind: 'ConversionReview', response };
}

export async function answerConversion(
  registry: ReadonlyMap<string, ConversionWebhook>,
  body: RequestBody,
  timeoutMs: number,
): Promise<Answer> {
  const json = 'json' in body ? body.json : undefined;
  const version = conversionVersionOf(json);
  const uid = uidOf(json);
  const fail = (error: WebhookError): Answer => {
    const failure = { reason: error.reason, message: error.message };
    if (version === undefined || uid === '') {
      // Not a ConversionReview we can answer in kind: a plain HTTP error.
      const status: Status = {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: 400,
        reason: 'BadRequest',
        message: error.message,
      };
      return { status: 400, uid, body: status, failure };
    }
    return {
      status: 200,
      uid,
      body: conversionAnswer(version, {
        uid,
        convertedObjects: [],
        result: { status: 'Failure', message: error.message },
      }),
      failure,
    };
  };
  if ('error' in body) return fail(new WebhookError('MalformedReview', body.error));
  try {
    const review = parseConversionReview(json);
    const converted = await withTimeout(timeoutMs, 'conversion', () =>
      convertObjects(registry, review.request.objects, review.request.desiredAPIVersion),
    );
    return {
      status: 200,
      uid,
      body: conversionAnswer(review.apiVersion, {
        uid,
        convertedObjects: converted,
        result: { status: 'Success' },
      }),
    };
  } catch (error) {
    return fail(asWebhookError(error, 'ConversionFailed'));
  }
}
