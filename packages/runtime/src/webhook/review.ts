/**
 * The wire shapes of the API server's webhook protocols, as readonly closed unions:
 * admission.k8s.io AdmissionReview (v1 and v1beta1, which share the same fields) and
 * apiextensions.k8s.io ConversionReview (v1 and v1beta1). Parsing (`parseAdmissionReview`,
 * `parseConversionReview`) turns untrusted JSON into these shapes or a {@link WebhookError}
 * with reason `MalformedReview` that says which field was wrong.
 */
import type { KubeObject, Status } from '../api/index.ts';

export type AdmissionReviewVersion = 'admission.k8s.io/v1' | 'admission.k8s.io/v1beta1';
export type ConversionReviewVersion = 'apiextensions.k8s.io/v1' | 'apiextensions.k8s.io/v1beta1';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

export interface UserInfo {
  readonly username?: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** One admission request. `object` is absent on DELETE, `oldObject` on CREATE. */
export interface AdmissionRequest<T extends KubeObject = KubeObject> {
  readonly uid: string;
  readonly kind: GroupVersionKind;
  readonly resource: GroupVersionResource;
  readonly subResource?: string;
  readonly requestKind?: GroupVersionKind;
  readonly requestResource?: GroupVersionResource;
  readonly name?: string;
  readonly namespace?: string;
  readonly operation: Operation;
  readonly userInfo: UserInfo;
  readonly object?: T;
  readonly oldObject?: T;
  readonly dryRun?: boolean;
  readonly options?: unknown;
}

export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: boolean;
  readonly status?: Status;
  readonly patch?: string;
  readonly patchType?: 'JSONPatch';
  readonly auditAnnotations?: Readonly<Record<string, string>>;
  readonly warnings?: readonly string[];
}

export interface AdmissionReview {
  readonly apiVersion: AdmissionReviewVersion;
  readonly kind: 'AdmissionReview';
  readonly request?: AdmissionRequest;
  readonly response?: AdmissionResponse;
}

export interface ConversionRequest {
  readonly uid: string;
  /** e.g. `example.com/v2`. */
  readonly desiredAPIVersion: string;
  readonly objects: readonly KubeObject[];
}

export type ConversionResponse =
  | {
      readonly uid: string;
      readonly convertedObjects: readonly KubeObject[];
      readonly result: { readonly status: 'Success' };
    }
  | {
      readonly uid: string;
      readonly convertedObjects: readonly [];
      readonly result: { readonly status: 'Failure'; readonly message: string };
    };

export interface ConversionReview {
  readonly apiVersion: ConversionReviewVersion;
  readonly kind: 'ConversionReview';
  readonly request?: ConversionRequest;
  readonly response?: ConversionResponse;
}

export type WebhookErrorReason =
  | 'MalformedReview'
  | 'UnknownKind'
  | 'UnknownVersion'
  | 'HandlerFailed'
  | 'HandlerTimedOut'
  | 'InvalidRegistration'
  | 'ListenFailed'
  | 'CertificateInvalid'
  | 'ConversionFailed';

export class WebhookError extends Error {
  readonly reason: WebhookErrorReason;
  constructor(reason: WebhookErrorReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WebhookError';
    this.reason = reason;
  }
}

const admissionVersions = new Set<string>(['admission.k8s.io/v1', 'admission.k8s.io/v1beta1']);
const conversionVersions = new Set<string>(['apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1']);
const operations = new Set<string>(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

function malformed(message: string): WebhookError {
  return new WebhookError('MalformedReview', message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request's uid when one can be read, so even a malformed review gets a matching answer. */
export function uidOf(body: unknown): string {
  if (!isRecord(body) || !isRecord(body.request)) return '';
  return typeof body.request.uid === 'string' ? body.request.uid : '';
}

/** The review's apiVersion when it is one this server speaks, else `undefined`. */
export function admissionVersionOf(body: unknown): AdmissionReviewVersion | undefined {
  const v = isRecord(body) ? body.apiVersion : undefined;
  return typeof v === 'string' && admissionVersions.has(v) ? (v as AdmissionReviewVersion) : undefined;
}

export function conversionVersionOf(body: unknown): ConversionReviewVersion | undefined {
  const v = isRecord(body) ? body.apiVersion : undefined;
  return typeof v === 'string' && conversionVersions.has(v) ? (v as ConversionReviewVersion) : undefined;
}

function checkGvk(value: unknown, field: string): void {
  if (!isRecord(value) || typeof value.kind !== 'string' || typeof value.version !== 'string') {
    throw malformed(`AdmissionReview ${field} must be an object with group, version and kind`);
  }
}

function checkObject(value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value) || !isRecord(value.metadata ?? {})) {
    throw malformed(`AdmissionReview ${field} must be a Kubernetes object (with metadata)`);
  }
}

export function parseAdmissionReview(
  body: unknown,
): AdmissionReview & { readonly request: AdmissionRequest } {
  if (!isRecord(body)) throw malformed('the request body must be a JSON object (an AdmissionReview)');
  if (body.kind !== 'AdmissionReview' || admissionVersionOf(body) === undefined) {
    throw malformed(
      `expected kind AdmissionReview of apiVersion admission.k8s.io/v1 or v1beta1, got kind ${JSON.stringify(body.kind)} of apiVersion ${JSON.stringify(body.apiVersion)}`,
    );
  }
  const request = body.request;
  if (!isRecord(request)) throw malformed('AdmissionReview.request is missing');
  if (typeof request.uid !== 'string' || request.uid === '') {
    throw malformed('AdmissionReview.request.uid must be a non-empty string');
  }
  if (typeof request.operation !== 'string' || !operations.has(request.operation)) {
    throw malformed(
      `AdmissionReview.request.operation must be CREATE, UPDATE, DELETE or CONNECT, got ${JSON.stringify(request.operation)}`,
    );
  }
  checkGvk(request.kind, 'request.kind');
  if (!isRecord(request.resource)) throw malformed('AdmissionReview.request.resource is missing');
  checkObject(request.object, 'request.object');
  checkObject(request.oldObject, 'request.oldObject');
  // Normalise: the API server sends `null` for an absent object.
  const normalised: Record<string, unknown> = {
    ...request,
    userInfo: isRecord(request.userInfo) ? request.userInfo : {},
  };
  if (normalised.object === null) delete normalised.object;
  if (normalised.oldObject === null) delete normalised.oldObject;
  return { ...(body as unknown as AdmissionReview), request: normalised as unknown as AdmissionRequest };
}

export function parseConversionReview(
  body: unknown,
): ConversionReview & { readonly request: ConversionRequest } {
  if (!isRecord(body)) throw malformed('the request body must be a JSON object (a ConversionReview)');
  if (body.kind !== 'ConversionReview' || conversionVersionOf(body) === undefined) {
    throw malformed(
      `expected kind ConversionReview of apiVersion apiextensions.k8s.io/v1 or v1beta1, got kind ${JSON.stringify(body.kind)} of apiVersion ${JSON.stringify(body.apiVersion)}`,
    );
  }
  const request = body.request;
  if (!isRecord(request)) throw malformed('ConversionReview.request is missing');
  if (typeof request.uid !== 'string' || request.uid === '') {
    throw malformed('ConversionReview.request.uid must be a non-empty string');
  }
  if (typeof request.desiredAPIVersion !== 'string' || !request.desiredAPIVersion.includes('/')) {
    throw malformed(
      `ConversionReview.request.desiredAPIVersion must be group/version, got ${JSON.stringify(request.desiredAPIVersion)}`,
    );
  }
  if (!Array.isArray(request.objects)) throw malformed('ConversionReview.request.objects must be a list');
  request.objects.forEach((o: unknown, i) => {
    if (
      !isRecord(o) ||
      typeof o.apiVersion !== 'string' ||
      typeof o.kind !== 'string' ||
      !isRecord(o.metadata)
    ) {
      throw malformed(
        `ConversionReview.request.objects[${i}] must be an object with apiVersion, kind and metadata`,
      );
    }
  });
  return body as unknown as ConversionReview & { readonly request: ConversionRequest };
}
