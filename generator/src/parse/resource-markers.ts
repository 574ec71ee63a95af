/**
 * Resource markers checked against the version's schema or merged across a kind's versions:
 * `@subresource` (scale paths must name integer and string fields), `@printColumn` (unique
 * names, paths that exist), `@selectableField` (validated as the API server validates
 * `selectableFields`, so a CRD it would reject is a diagnostic here) and the CRD object's own
 * `@crdLabel` / `@crdAnnotation` entries.
 */
import type { ts } from 'ts-morph';
import { schemaAtPath, type PrinterColumn, type Schema, type VersionModel } from '../model/index.ts';
import type { MarkerSet } from '../markers/index.ts';
import type { SourceContext } from './source-context.ts';

export function parseSubresources(
  ctx: SourceContext,
  markers: MarkerSet,
  schema: Schema,
  declaration: ts.InterfaceDeclaration,
  kind: string,
): VersionModel['subresources'] {
  let status = false;
  let scale: VersionModel['subresources']['scale'];
  for (const { value: subresource, offset } of markers.occurrences('subresource')) {
    const where = { ...ctx.location(declaration, offset), path: kind };
    if (subresource.kind === 'status') {
      status = true;
      if (schema.properties?.status === undefined) {
        ctx.sink.warning(
          'missing-status',
          `${kind} enables the status subresource but declares no \`status\``,
          where,
          'add `status?: <Kind>Status`',
        );
      }
      continue;
    }
    const { kind: _kind, ...paths } = subresource;
    const checks: [string, string, string, boolean][] = [
      ['specReplicasPath', paths.specReplicasPath, '.spec.', true],
      ['statusReplicasPath', paths.statusReplicasPath, '.status.', true],
      ...(paths.labelSelectorPath === undefined
        ? []
        : [['labelSelectorPath', paths.labelSelectorPath, '.', false] as [string, string, string, boolean]]),
    ];
    let valid = true;
    for (const [name, path, prefix, integer] of checks) {
      const target = schemaAtPath(schema, path);
      const expectedType = integer ? 'integer' : 'string';
      const placed = name === 'labelSelectorPath' ? /^\.(spec|status)\./.test(path) : path.startsWith(prefix);
      if (!placed || target?.type !== expectedType) {
        ctx.sink.error(
          'invalid-subresource',
          `scale ${name} ${path} must point to ${integer ? 'an integer' : 'a string'} field under ${prefix.length > 1 ? prefix.slice(0, -1) : '.spec or .status'}`,
          where,
          integer ? 'declare the field as int32' : undefined,
        );
        valid = false;
      }
    }
    if (valid) scale = paths;
  }
  return { status, ...(scale ? { scale } : {}) };
}

/** The `@printColumn`s, checked: unique names, and simple JSONPaths that exist in the schema. */
export function checkPrinterColumns(
  ctx: SourceContext,
  schema: Schema,
  declaration: ts.InterfaceDeclaration,
  markers: MarkerSet,
  kind: string,
): readonly PrinterColumn[] {
  const names = new Set<string>();
  for (const { value: column, offset } of markers.occurrences('printColumn')) {
    const where = { ...ctx.location(declaration, offset), path: kind };
    if (names.has(column.name))
      ctx.sink.error('invalid-marker', `printer column ${column.name} is declared twice`, where);
    names.add(column.name);
    const simple = /^(\.[A-Za-z0-9_-]+)+$/.test(column.jsonPath);
    if (
      simple &&
      !column.jsonPath.startsWith('.metadata.') &&
      schemaAtPath(schema, column.jsonPath) === undefined
    ) {
      ctx.sink.warning(
        'unknown-json-path',
        `printer column ${column.name}: ${column.jsonPath} is not a field of ${kind}`,
        where,
        'check the spelling; the column will be empty',
      );
    }
  }
  return markers.getAll('printColumn');
}

/** The API server's limit of selectable fields per version. */
export const maxSelectableFields = 8;

const selectableTypes = new Set(['string', 'integer', 'boolean']);

/** The `@selectableField` paths of a version, each checked against its schema. */
export function checkSelectableFields(
  ctx: SourceContext,
  schema: Schema,
  declaration: ts.Node,
  markers: MarkerSet,
  kind: string,
): readonly string[] {
  const fields: string[] = [];
  const occurrences = markers.occurrences('selectableField');
  for (const { value: path, offset } of occurrences) {
    const where = { ...ctx.location(declaration, offset), path: kind };
    const problem = selectableFieldProblem(schema, path, fields);
    if (problem !== undefined) {
      ctx.sink.error(
        'invalid-selectable-field',
        `selectable field ${path} ${problem.message}`,
        where,
        problem.hint,
      );
      continue;
    }
    fields.push(path);
  }
  if (fields.length > maxSelectableFields) {
    const offset = occurrences[maxSelectableFields]?.offset;
    ctx.sink.error(
      'invalid-selectable-field',
      `${kind} declares ${fields.length} selectable fields; the API server allows at most ${maxSelectableFields} per version`,
      { ...ctx.location(declaration, offset), path: kind },
      'keep the fields clients filter on most',
    );
  }
  return fields;
}

function selectableFieldProblem(
  schema: Schema,
  path: string,
  earlier: readonly string[],
): { readonly message: string; readonly hint?: string } | undefined {
  if (earlier.includes(path)) return { message: 'is declared twice', hint: 'keep one' };
  if (path === '.metadata' || path.startsWith('.metadata.')) {
    return {
      message: 'points into metadata',
      hint: 'metadata.name and metadata.namespace are always selectable; other metadata fields cannot be',
    };
  }
  const target = schemaAtPath(schema, path);
  if (target === undefined) {
    return { message: `is not a field of the schema`, hint: 'check the spelling, e.g. .spec.color' };
  }
  if (target.type === undefined || !selectableTypes.has(target.type)) {
    return {
      message: `is ${target.type === undefined ? 'not of a single type' : `of type ${target.type}`}; selectable fields must be strings, integers or booleans`,
    };
  }
  return undefined;
}

export interface CrdMetadata {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Source offset of each entry's tag, by `label <key>` / `annotation <key>`. */
  readonly offsets: ReadonlyMap<string, number>;
}

/** A version's `@crdLabel` and `@crdAnnotation` entries; a key given twice with different values is an error. */
export function crdMetadataOf(
  ctx: SourceContext,
  declaration: ts.Node,
  markers: MarkerSet,
  kind: string,
): CrdMetadata {
  const offsets = new Map<string, number>();
  const collect = (marker: 'crdLabel' | 'crdAnnotation'): Record<string, string> => {
    const entries: Record<string, string> = {};
    for (const { value, offset } of markers.occurrences(marker)) {
      offsets.set(`${marker === 'crdLabel' ? 'label' : 'annotation'} ${value.key}`, offset);
      const existing = entries[value.key];
      if (existing !== undefined && existing !== value.value) {
        ctx.sink.error(
          'invalid-marker',
          `@${marker} ${value.key} is given twice, as "${existing}" and "${value.value}"`,
          { ...ctx.location(declaration, offset), path: kind },
          'keep one',
        );
      }
      entries[value.key] = value.value;
    }
    return entries;
  };
  return { labels: collect('crdLabel'), annotations: collect('crdAnnotation'), offsets };
}

/**
 * The CRD metadata of a kind: its versions' entries merged. Returns the first disagreement
 * instead (`label app` / `annotation x`, and the index of the version that disagrees) when
 * two versions set one differently.
 */
export function mergeCrdMetadata(
  versions: readonly CrdMetadata[],
): Pick<CrdMetadata, 'labels' | 'annotations'> | { readonly conflict: string; readonly version: number } {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const [index, version] of versions.entries()) {
    for (const [into, from, what] of [
      [labels, version.labels, 'label'],
      [annotations, version.annotations, 'annotation'],
    ] as const) {
      for (const [key, value] of Object.entries(from)) {
        if (into[key] !== undefined && into[key] !== value)
          return { conflict: `${what} ${key}`, version: index };
        into[key] = value;
      }
    }
  }
  return { labels, annotations };
}
