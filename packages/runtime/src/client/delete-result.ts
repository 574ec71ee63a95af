/**
 * The DELETE request body (DeleteOptions) and the interpretation of its answer as a
 * {@link DeleteResult}.
 */
import type { KubeObject, Status } from '../api/index.ts';
import type { DeleteCollectionOptions, DeleteOptions } from './resource-client.ts';

const JSON_TYPE = 'application/json';

/** DeleteOptions travel in the body (preconditions cannot be query parameters). */
export function deleteBody(options: DeleteOptions | DeleteCollectionOptions): {
  body?: string;
  contentType?: string;
} {
  const preconditions = 'preconditions' in options ? options.preconditions : undefined;
  if (
    options.propagationPolicy === undefined &&
    options.gracePeriodSeconds === undefined &&
    preconditions === undefined &&
    options.dryRun !== true
  ) {
    return {};
  }
  const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
  if (options.propagationPolicy !== undefined) body.propagationPolicy = options.propagationPolicy;
  if (options.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = options.gracePeriodSeconds;
  if (preconditions !== undefined) body.preconditions = preconditions;
  if (options.dryRun === true) body.dryRun = ['All'];
  return { body: JSON.stringify(body), contentType: JSON_TYPE };
}

export function isStatus(body: KubeObject | Status): body is Status {
  return body.kind === 'Status' && (body as Partial<KubeObject>).metadata?.name === undefined;
}

/**
 * Whether a deleted object's returned state means it still exists: finalizers or a grace
 * period hold it, marked with a deletionTimestamp.
 */
export function isPendingDeletion(object: KubeObject): boolean {
  const { deletionTimestamp, finalizers, deletionGracePeriodSeconds } = object.metadata;
  return (
    deletionTimestamp !== undefined &&
    ((finalizers !== undefined && finalizers.length > 0) || (deletionGracePeriodSeconds ?? 0) > 0)
  );
}
