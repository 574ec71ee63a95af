/**
 * The patch kinds the API server understands, as one closed union tagged by `type`. Each kind
 * maps to exactly one request content type; custom resources support `merge`, `json` and
 * `apply` (strategic merge patch is only implemented by built-in kinds).
 */
import type { KubeObject } from '../api/index.ts';

/**
 * One RFC 6902 operation. `path` and `from` are JSON pointers (RFC 6901): `/metadata/labels/app`;
 * escape `~` as `~0` and `/` as `~1` (see {@link jsonPointer}).
 */
export type JsonPatchOperation =
  | { readonly op: 'add' | 'replace' | 'test'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'move' | 'copy'; readonly from: string; readonly path: string };

/** A deep partial of an object, used for merge patches and apply configurations. `null` deletes a field in a merge patch. */
export type DeepPartial<T> = T extends readonly (infer E)[]
  ? readonly E[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | null }
    : T;

/**
 * A patch for one object.
 * - `merge`: RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, arrays are
 *   replaced whole.
 * - `json`: RFC 6902 JSON patch: an ordered list of operations, applied atomically; a failing
 *   `test` operation rejects the whole patch.
 * - `strategic`: strategic merge patch, for built-in kinds only (custom resources reject it
 *   with 415 UnsupportedMediaType).
 * - `apply`: server-side apply of a partial object ("apply configuration") owned by a field
 *   manager; `force` takes ownership of fields other managers own instead of failing with a
 *   409 Conflict. apiVersion, kind and metadata.name are filled in by the client.
 */
export type Patch<T extends KubeObject> =
  | { readonly type: 'merge'; readonly patch: DeepPartial<T> }
  | { readonly type: 'json'; readonly operations: readonly JsonPatchOperation[] }
  | { readonly type: 'strategic'; readonly patch: DeepPartial<T> }
  | { readonly type: 'apply'; readonly configuration: DeepPartial<T>; readonly force?: boolean };

/** The request content type for each patch kind. */
export const patchContentTypes = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const satisfies Record<Patch<KubeObject>['type'], string>;

/** Builds an RFC 6901 JSON pointer from path segments, escaping `~` and `/`. */
export function jsonPointer(...segments: readonly (string | number)[]): string {
  let pointer = '';
  for (const segment of segments) {
    pointer += '/' + String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
  }
  return pointer;
}
