/**
 * The conversion rule of a kind: versions are converted by the operator's webhook through a
 * hub (`@conversion hub`), or by the API server's `None` strategy, which rewrites only
 * `apiVersion`. `None` is right only when the versions hold the same fields: otherwise a write
 * through one version silently drops the fields only another has. So versions whose schemas
 * differ need `@conversion hub`, or `@conversion none` stating the loss is intended.
 */
import type { ConversionModel, Schema } from '../model/index.ts';
import type { ConversionMarker } from '../markers/index.ts';
import type { SourceContext } from './source-context.ts';
import type { ts } from 'ts-morph';

/** What the rule needs of a parsed version. */
export interface ConversionCandidate {
  readonly kind: string;
  readonly group: string;
  readonly version: { readonly name: string; readonly schema: Schema };
  readonly storageMarked: boolean;
  readonly conversion?: { readonly value: ConversionMarker; readonly offset: number };
  /** The name of the kind's interface declaration. */
  readonly node: ts.Node;
}

/**
 * The kind's conversion, or `false` after reporting an error. `versions` are one kind's, in
 * version order; `storage` names the storage version.
 */
export function resolveConversion(
  ctx: SourceContext,
  versions: readonly ConversionCandidate[],
  storage: string,
): ConversionModel | undefined | false {
  const first = versions[0];
  if (first === undefined) return undefined;
  const marked = versions.filter((v) => v.conversion !== undefined);
  const where = (v: ConversionCandidate): ReturnType<SourceContext['location']> & { path: string } => ({
    ...ctx.location(v.node, v.conversion?.offset),
    path: v.kind,
  });
  if (marked.length > 1) {
    const places = marked.map((v) => {
      const at = where(v);
      return `${v.version.name} (@conversion ${v.conversion?.value ?? ''}, ${at.file}:${at.line})`;
    });
    ctx.sink.error(
      'invalid-conversion',
      `${first.kind} has @conversion on ${marked.length} versions: ${places.join(', ')}; the kind has one conversion, stated on one version`,
      where(marked[1] ?? first),
      '@conversion hub goes on the version the webhook converts through (usually the storage version); remove the others',
    );
    return false;
  }
  const stated = marked[0];
  if (stated?.conversion?.value === 'hub') {
    if (versions.length === 1) {
      ctx.sink.warning(
        'invalid-conversion',
        `${first.kind} has only version ${first.version.name}: @conversion hub has nothing to convert yet`,
        where(stated),
        'keep it if more versions are coming; the CRD already points at the conversion webhook',
      );
    }
    return { strategy: 'Webhook', hub: stated.version.name };
  }
  if (stated?.conversion?.value === 'none') return { strategy: 'None' };
  const stored = versions.find((v) => v.version.name === storage) ?? first;
  for (const other of versions) {
    if (other === stored) continue;
    const difference = schemaDifference(stored.version.schema, other.version.schema, '');
    if (difference === undefined) continue;
    const a = stored.version.name;
    const b = other.version.name;
    ctx.sink.error(
      'schema-mismatch',
      `${first.kind} ${b} and ${a} have different schemas (${describe(difference, a, b)}) and no conversion: the API server only rewrites apiVersion between them, so writes through one version silently drop the fields only the other has`,
      { ...ctx.location(other.node), path: `${first.kind}${difference.path}` },
      `convert through a hub: \`kubeforge create webhook --group ${first.group} --version ${a} --kind ${first.kind} --conversion\` (adds @conversion hub to ${a} and scaffolds the conversion functions); or, if losing those fields is intended, add @conversion none to one version`,
    );
    return false;
  }
  return undefined;
}

interface Difference {
  /** `.spec.size`, or empty for the root. */
  readonly path: string;
  readonly what: 'only-first' | 'only-second' | 'type' | 'keyword';
  readonly detail?: string;
}

function describe(difference: Difference, first: string, second: string): string {
  const field = difference.path === '' ? 'the root' : difference.path.slice(1);
  switch (difference.what) {
    case 'only-first':
      return `${field} exists only in ${first}`;
    case 'only-second':
      return `${field} exists only in ${second}`;
    case 'type':
      return `${field} is ${difference.detail ?? ''}`;
    case 'keyword':
      return `${field} differs in ${difference.detail ?? ''}`;
  }
}

/** The first place two schemas differ in anything but descriptions, in property order. */
export function schemaDifference(a: Schema, b: Schema, path: string): Difference | undefined {
  if (a.type !== b.type) {
    return {
      path,
      what: 'type',
      detail: `${a.type ?? 'untyped'} in one and ${b.type ?? 'untyped'} in the other`,
    };
  }
  const aProps = a.properties ?? {};
  const bProps = b.properties ?? {};
  for (const name of Object.keys(aProps)) {
    if (!(name in bProps)) return { path: `${path}.${name}`, what: 'only-first' };
  }
  for (const name of Object.keys(bProps)) {
    if (!(name in aProps)) return { path: `${path}.${name}`, what: 'only-second' };
  }
  for (const [name, schema] of Object.entries(aProps)) {
    const other = bProps[name];
    if (other === undefined) continue;
    const difference = schemaDifference(schema, other, `${path}.${name}`);
    if (difference !== undefined) return difference;
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const x = a[key];
    const y = b[key];
    if (x !== undefined && y !== undefined) {
      const difference = schemaDifference(x, y, key === 'items' ? `${path}[]` : `${path}.*`);
      if (difference !== undefined) return difference;
    } else if (x !== y) {
      return { path, what: 'keyword', detail: key };
    }
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of [...keys].sort()) {
    if (['description', 'properties', 'items', 'additionalProperties', 'type'].includes(key)) continue;
    if (
      JSON.stringify(stripDescriptions(a[key as keyof Schema])) !==
      JSON.stringify(stripDescriptions(b[key as keyof Schema]))
    ) {
      return { path, what: 'keyword', detail: key };
    }
  }
  return undefined;
}

function stripDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDescriptions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'description')
      .map(([key, v]) => [key, stripDescriptions(v)]),
  );
}
