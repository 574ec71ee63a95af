/**
 * Rendered Kubernetes objects as plain data: parsed from a YAML stream, put in the order a
 * cluster can take them (Namespaces and CRDs before what lives in them or uses them, the
 * reverse to delete), and written back as one stream. Objects are never mutated in place:
 * transformations return new objects.
 */
import { parseAllDocuments, stringify } from 'yaml';
import { CliError } from '../errors.ts';

/** A Kubernetes object as kustomize renders it (JSON-compatible data). */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string } & Readonly<
    Record<string, unknown>
  >;
  readonly [field: string]: unknown;
}

/** Parses a YAML stream into objects; empty documents are skipped. */
export function parseObjects(yaml: string, source: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(yaml)) {
    if (doc.errors.length > 0) {
      throw new CliError('InvalidInput', `${source} is not valid YAML: ${doc.errors[0]?.message ?? ''}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isKubeObject(value)) {
      throw new CliError('InvalidInput', `${source} holds a document that is not a Kubernetes object`, {
        details: `  ${JSON.stringify(value).slice(0, 200)}`,
        hint: 'every document needs apiVersion, kind and metadata.name',
      });
    }
    objects.push(value);
  }
  return objects;
}

export function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const meta: unknown = v.metadata;
  return (
    typeof v.apiVersion === 'string' &&
    typeof v.kind === 'string' &&
    typeof meta === 'object' &&
    meta !== null &&
    typeof (meta as Record<string, unknown>).name === 'string'
  );
}

/** Kinds that others depend on, applied first (the head of kustomize's legacy order). */
const firstKinds = ['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'ClusterRole', 'Role'];

/**
 * Objects in apply order: Namespaces, CRDs, ServiceAccounts and roles first, then the rest in
 * their rendered order (a stable sort).
 */
export function applyOrder(objects: readonly KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject): number => {
    const i = firstKinds.indexOf(o.kind);
    return i === -1 ? firstKinds.length : i;
  };
  return objects
    .map((object, index) => ({ object, index }))
    .sort((a, b) => rank(a.object) - rank(b.object) || a.index - b.index)
    .map((e) => e.object);
}

/** Objects in delete order: the reverse of {@link applyOrder}. */
export function deleteOrder(objects: readonly KubeObject[]): KubeObject[] {
  return applyOrder(objects).reverse();
}

/** One YAML stream, every document opened by `---`. */
export function toYamlStream(objects: readonly KubeObject[]): string {
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join('');
}

/** `Kind/name` or `Kind/namespace/name`, for messages. */
export function describeObject(o: KubeObject): string {
  return o.metadata.namespace === undefined
    ? `${o.kind}/${o.metadata.name}`
    : `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
}
