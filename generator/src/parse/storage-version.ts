/**
 * The storage-version rule of a kind with several versions: objects are stored in exactly one
 * version, so exactly one carries `@storageVersion`. Breaking it is one error per kind; with
 * several markers it is reported at the second, naming every file:line that carries one.
 */
import { ts } from 'ts-morph';
import type { SourceContext } from './source-context.ts';

/** What the rule needs of a parsed version: its kind, version name, marker and declaration name. */
export interface StorageCandidate {
  readonly kind: string;
  readonly storageMarked: boolean;
  readonly version: { readonly name: string };
  /** The name of the kind's interface declaration. */
  readonly node: ts.Node;
}

/** Reports `versions` (of one kind, in version order) having none or several `marked`. */
export function reportStorageVersions(
  ctx: SourceContext,
  versions: readonly StorageCandidate[],
  marked: readonly StorageCandidate[],
): void {
  const first = versions[0];
  if (first === undefined) return;
  if (marked.length === 0) {
    ctx.sink.error(
      'storage-version',
      `${first.kind} has ${versions.length} versions (${versions.map((v) => v.version.name).join(', ')}) and none marked @storageVersion; exactly one must be`,
      { ...ctx.location(first.node), path: first.kind },
      'add @storageVersion to the version objects are stored in',
    );
    return;
  }
  const places = marked.map((v) => {
    const where = markerLocation(ctx, v);
    return { version: v.version.name, where, text: `${v.version.name} (${where.file}:${where.line})` };
  });
  ctx.sink.error(
    'storage-version',
    `${first.kind} has ${marked.length} versions marked @storageVersion: ${places.map((p) => p.text).join(', ')}; exactly one must keep it`,
    { ...(places[1] ?? places[0])?.where, path: first.kind },
    `keep @storageVersion on the version objects are stored in (on a cluster that already has ${first.kind} objects, the one they are stored in today) and remove it from the others`,
  );
}

/** Where a version's `@storageVersion` tag is (its declaration's doc comment is cached). */
function markerLocation(
  ctx: SourceContext,
  candidate: StorageCandidate,
): { file: string; line: number; column: number } {
  const declaration = ts.isInterfaceDeclaration(candidate.node.parent) ? candidate.node.parent : undefined;
  const offset =
    declaration &&
    ctx.doc(declaration, ['resource', 'field'], candidate.kind).markers.offsetOf('storageVersion');
  return ctx.location(candidate.node, offset);
}
