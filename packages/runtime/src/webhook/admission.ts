/**
 * Admission webhooks as values: `defaulting(resource, fn)`, `validating(resource, validator)`
 * and the raw `admission(options, handler)` each return a {@link WebhookRegistration} that a
 * manager (`manager.addWebhook(...)`) or a bare {@link WebhookServer} serves. Generated code
 * registers one kind in one line.
 *
 * Contracts:
 * - A defaulter receives a deep copy of the incoming object and returns the defaulted object
 *   (mutating the copy and returning it is fine); the answer is the RFC 6902 patch between the
 *   two. Defaulters run on CREATE and UPDATE; other operations are allowed unchanged.
 * - A validator returns nothing (allowed), `{ warnings }`, or `{ errors }` with field errors;
 *   errors deny with 422 Invalid and one cause per field. Throwing an {@link AdmissionDenied}
 *   denies with its reason and code; any other throw is a handler failure (500), logged and
 *   counted, and the API server applies the webhook's `failurePolicy`.
 * - Paths follow controller-runtime (`/mutate-<group>-<version>-<kind>`, dots in the group
 *   as dashes), so manifests written for Go operators point at the same endpoints.
 */
import fastJsonPatch from 'fast-json-patch';
import type { KubeObject, ResourceDescriptor } from '../api/index.ts';
import type { JsonPatchOperation } from '../client/patch.ts';
import type { FieldError } from './field-errors.ts';
import { formatFieldErrors as formatErrors } from './field-errors.ts';
import type { AdmissionRequest } from './review.ts';
import { WebhookError } from './review.ts';

export interface AdmissionContext {
  /** Aborted when the webhook's timeout passes; the answer then is already sent. */
  readonly signal: AbortSignal;
}

/** What an admission handler decides. */
export type AdmissionResult =
  | {
      readonly type: 'allowed';
      readonly warnings?: readonly string[];
      readonly patch?: readonly JsonPatchOperation[];
    }
  | {
      readonly type: 'denied';
      /** HTTP-like code shown by clients: 403 Forbidden, 422 Invalid, 400 BadRequest, ... */
      readonly code: number;
      /** A metav1.StatusReason, e.g. `Invalid` or `Forbidden`. */
      readonly reason: string;
      readonly message: string;
      readonly causes?: readonly FieldError[];
      readonly warnings?: readonly string[];
    };

export type AdmissionHandler<T extends KubeObject = KubeObject> = (
  request: AdmissionRequest<T>,
  context: AdmissionContext,
) => AdmissionResult | Promise<AdmissionResult>;

export interface AdmissionWebhook {
  readonly type: 'admission';
  /** Names the webhook in logs and metrics. */
  readonly name: string;
  readonly path: string;
  readonly mutating: boolean;
  /** Answer with an error after this long; default the server's `handlerTimeoutMs`. */
  readonly timeoutMs?: number;
  readonly handle: AdmissionHandler;
}

/** Thrown by a validator (or raw handler) to deny with a reason other than field errors. */
export class AdmissionDenied extends Error {
  readonly reason: string;
  readonly code: number;
  constructor(
    /** A metav1.StatusReason: `Forbidden`, `Invalid`, `BadRequest`, `Conflict`, ... */
    reason: string,
    message: string,
    code?: number,
  ) {
    super(message);
    this.name = 'AdmissionDenied';
    this.reason = reason;
    this.code = code ?? codeFor(reason);
  }
}

function codeFor(reason: string): number {
  switch (reason) {
    case 'Forbidden':
      return 403;
    case 'Invalid':
      return 422;
    case 'Conflict':
      return 409;
    case 'NotFound':
      return 404;
    default:
      return 400;
  }
}

export const allow = (warnings?: readonly string[]): AdmissionResult => ({
  type: 'allowed',
  ...(warnings !== undefined && warnings.length > 0 && { warnings }),
});

export const deny = (
  reason: string,
  message: string,
  options: { readonly code?: number; readonly causes?: readonly FieldError[] } = {},
): AdmissionResult => ({
  type: 'denied',
  code: options.code ?? codeFor(reason),
  reason,
  message,
  ...(options.causes !== undefined && { causes: options.causes }),
});

/** Allows with the patch that turns `original` into `modified`. */
export function patchResult(
  original: unknown,
  modified: unknown,
  warnings?: readonly string[],
): AdmissionResult {
  const patch = fastJsonPatch.compare(original as object, modified as object) as JsonPatchOperation[];
  return {
    type: 'allowed',
    ...(patch.length > 0 && { patch }),
    ...(warnings !== undefined && warnings.length > 0 && { warnings }),
  };
}

type Target = Pick<ResourceDescriptor, 'group' | 'version' | 'kind'>;

function pathFor(prefix: 'mutate' | 'validate', target: Target): string {
  const group = target.group.replaceAll('.', '-');
  return `/${prefix}-${group === '' ? 'core' : group}-${target.version}-${target.kind.toLowerCase()}`;
}

export interface WebhookOptions {
  /** Serve at this path instead of controller-runtime's default. */
  readonly path?: string;
  readonly timeoutMs?: number;
}

export type Defaulter<T extends KubeObject> = (object: T, request: AdmissionRequest<T>) => T | Promise<T>;

/** A mutating webhook that fills defaults on CREATE and UPDATE, answered as a JSON patch. */
export function defaulting<T extends KubeObject>(
  target: ResourceDescriptor<T>,
  defaulter: Defaulter<T>,
  options: WebhookOptions = {},
): AdmissionWebhook {
  const name = `${target.kind}.${target.group || 'core'}/${target.version} defaulting`;
  return {
    type: 'admission',
    name,
    path: checkPath(options.path ?? pathFor('mutate', target)),
    mutating: true,
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    async handle(request) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const object = request.object;
      if (object === undefined) return deny('BadRequest', `${request.operation} request carries no object`);
      const copy = structuredClone(object) as T;
      const defaulted: unknown = await defaulter(copy, request as AdmissionRequest<T>);
      if (typeof defaulted !== 'object' || defaulted === null) {
        throw new WebhookError(
          'HandlerFailed',
          `${name}: the defaulter returned ${String(defaulted)}, not an object`,
        );
      }
      return patchResult(object, defaulted);
    },
  };
}

export interface ValidationOutcome {
  readonly warnings?: readonly string[];
  readonly errors?: readonly FieldError[];
}

// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a validator may return nothing
type Outcome = ValidationOutcome | void | undefined;

export interface Validator<T extends KubeObject> {
  create?(object: T, request: AdmissionRequest<T>): Outcome | Promise<Outcome>;
  update?(object: T, oldObject: T, request: AdmissionRequest<T>): Outcome | Promise<Outcome>;
  /** Receives the object being deleted (the request's `oldObject`). */
  delete?(object: T, request: AdmissionRequest<T>): Outcome | Promise<Outcome>;
}

/** A validating webhook calling `validator`'s method for the request's operation. */
export function validating<T extends KubeObject>(
  target: ResourceDescriptor<T>,
  validator: Validator<T>,
  options: WebhookOptions = {},
): AdmissionWebhook {
  const name = `${target.kind}.${target.group || 'core'}/${target.version} validation`;
  return {
    type: 'admission',
    name,
    path: checkPath(options.path ?? pathFor('validate', target)),
    mutating: false,
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    async handle(raw) {
      const request = raw as AdmissionRequest<T>;
      let outcome: Outcome;
      try {
        outcome = await runValidator(validator, request);
      } catch (error) {
        if (error instanceof AdmissionDenied) return deny(error.reason, error.message, { code: error.code });
        throw error;
      }
      return outcomeResult(target.kind, target.group, request, outcome ?? {});
    },
  };
}

async function runValidator<T extends KubeObject>(
  validator: Validator<T>,
  request: AdmissionRequest<T>,
): Promise<Outcome> {
  const need = (object: T | undefined, which: string): T => {
    if (object === undefined)
      throw new AdmissionDenied('BadRequest', `${request.operation} request carries no ${which}`);
    return object;
  };
  switch (request.operation) {
    case 'CREATE':
      return validator.create?.(need(request.object, 'object'), request);
    case 'UPDATE':
      return validator.update?.(
        need(request.object, 'object'),
        need(request.oldObject, 'oldObject'),
        request,
      );
    case 'DELETE':
      return validator.delete?.(need(request.oldObject, 'oldObject'), request);
    case 'CONNECT':
      return undefined;
  }
}

function outcomeResult(
  kind: string,
  group: string,
  request: AdmissionRequest,
  outcome: ValidationOutcome,
): AdmissionResult {
  const errors = outcome.errors ?? [];
  const warnings = outcome.warnings ?? [];
  if (errors.length === 0) return allow(warnings);
  const name = request.name ?? request.object?.metadata.name ?? request.object?.metadata.generateName ?? '';
  const qualified = group === '' ? kind : `${kind}.${group}`;
  return {
    type: 'denied',
    code: 422,
    reason: 'Invalid',
    // The API server's own wording, with the field errors formatted by the server helper.
    message: `${qualified} ${JSON.stringify(name)} is invalid: ${formatErrors(errors)}`,
    causes: errors,
    ...(warnings.length > 0 && { warnings }),
  };
}

export interface RawAdmissionOptions extends WebhookOptions {
  readonly path: string;
  readonly name?: string;
  /** `true` for a mutating webhook (patches allowed), `false` for a validating one. */
  readonly mutating: boolean;
}

/** A typed admission handler for any kind, built-in ones too (e.g. `admission<Pod>(...)`). */
export function admission<T extends KubeObject = KubeObject>(
  options: RawAdmissionOptions,
  handler: AdmissionHandler<T>,
): AdmissionWebhook {
  return {
    type: 'admission',
    name: options.name ?? options.path,
    path: checkPath(options.path),
    mutating: options.mutating,
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    handle: handler as AdmissionHandler,
  };
}

export function checkPath(path: string): string {
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(path) || path.includes('//')) {
    throw new WebhookError(
      'InvalidRegistration',
      `webhook path ${JSON.stringify(path)} must start with "/" and hold only letters, digits and . _ ~ - /`,
    );
  }
  return path;
}
