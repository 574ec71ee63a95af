/**
 * Version conversion for custom resources through a hub, as controller-runtime's
 * `conversion.Hub`/`Convertible` and kube-rs do: each kind names a hub version and, for every
 * other version, a function to the hub and one from it. Any version converts to any other
 * through the hub, so n versions need 2(n-1) functions, not n².
 *
 * Guarantees:
 * - Lossless round trips. After converting A → B, the result is converted back B → A with the
 *   same functions; whatever of A does not come back (a field B cannot hold) is stored on the
 *   B object in the annotation `conversion.kubeforge.dev/<A>` and restored the next time the
 *   object converts to A. This is the annotation pattern kubebuilder users write by hand per
 *   field, done for every field. An annotation is consumed when restored.
 * - Metadata is the API server's: converted objects keep the source's metadata (the server
 *   rejects any other change than labels and annotations), with only the conversion
 *   annotations added or removed. Conversion functions see and return plain objects.
 * - An object already at the desired version is returned unchanged.
 * - Failures (unknown kind or version, a throwing function) raise a {@link WebhookError}
 *   naming the object, the versions and the cause; a review fails as a whole.
 */
import fastJsonPatch from 'fast-json-patch';
import type { KubeObject } from '../api/index.ts';
import { WebhookError } from './review.ts';

/**
 * Converts a spoke-version object to the hub version and back, typed by the two versions'
 * object types (`SpokeConversion<WidgetV1, WidgetV2>`). Each function gets its own deep copy;
 * `apiVersion`, `kind` and `metadata` of the result are set for you.
 */
export interface SpokeConversion<Spoke extends KubeObject = KubeObject, Hub extends KubeObject = KubeObject> {
  toHub(object: Spoke): Hub | Promise<Hub>;
  fromHub(hub: Hub): Spoke | Promise<Spoke>;
}

export interface ConversionWebhook {
  readonly type: 'conversion';
  readonly group: string;
  readonly kind: string;
  readonly hub: string;
  readonly spokes: Readonly<Record<string, SpokeConversion>>;
}

export interface ConversionOptions<Spokes extends string> {
  readonly group: string;
  readonly kind: string;
  /** The hub version, usually the storage version. */
  readonly hub: string;
  /** One entry per other served version. */
  readonly spokes: Readonly<Record<Spokes, SpokeConversion>>;
}

/** Registers conversion of one kind; serve it with `manager.addWebhook(conversion({...}))`. */
export function conversion<Spokes extends string>(options: ConversionOptions<Spokes>): ConversionWebhook {
  const { group, kind, hub } = options;
  const where = `conversion(${kind}.${group})`;
  if (!group || !kind || !hub) {
    throw new WebhookError('InvalidRegistration', `${where}: group, kind and hub are required`);
  }
  const spokes = options.spokes as Readonly<Record<string, SpokeConversion>>;
  for (const [version, spoke] of Object.entries(spokes)) {
    if (version === hub) {
      throw new WebhookError('InvalidRegistration', `${where}: ${hub} is the hub; remove it from spokes`);
    }
    if (
      typeof (spoke as Partial<SpokeConversion> | undefined)?.toHub !== 'function' ||
      typeof spoke.fromHub !== 'function'
    ) {
      throw new WebhookError(
        'InvalidRegistration',
        `${where}: spoke ${version} needs toHub and fromHub functions`,
      );
    }
  }
  return { type: 'conversion', group, kind, hub, spokes };
}

export const conversionAnnotationPrefix = 'conversion.kubeforge.dev/';

/** Converts every object to `desiredAPIVersion` using the registered kinds. */
export async function convertObjects(
  registry: ReadonlyMap<string, ConversionWebhook>,
  objects: readonly KubeObject[],
  desiredAPIVersion: string,
): Promise<KubeObject[]> {
  const [desiredGroup, desiredVersion] = splitApiVersion(desiredAPIVersion);
  const out: KubeObject[] = [];
  for (const object of objects) {
    const [group, version] = splitApiVersion(object.apiVersion ?? '');
    const id = `${object.kind}.${group} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name ?? ''}`;
    if (group !== desiredGroup) {
      throw new WebhookError(
        'ConversionFailed',
        `cannot convert ${id} from group ${group} to ${desiredAPIVersion}`,
      );
    }
    const kind = registry.get(`${object.kind ?? ''}.${group}`);
    if (kind === undefined) {
      throw new WebhookError(
        'UnknownKind',
        `no conversion is registered for kind ${object.kind ?? '<none>'}.${group}; registered: ${[...registry.keys()].join(', ') || 'none'}`,
      );
    }
    if (version === desiredVersion) {
      out.push(object);
      continue;
    }
    out.push(await convertOne(kind, object, version, desiredVersion, id));
  }
  return out;
}

function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

function checkVersion(kind: ConversionWebhook, version: string): void {
  if (version !== kind.hub && !(version in kind.spokes)) {
    throw new WebhookError(
      'UnknownVersion',
      `version ${version} of ${kind.kind}.${kind.group} has no conversion; known: ${kind.hub} (hub), ${Object.keys(kind.spokes).join(', ')}`,
    );
  }
}

function spoke(kind: ConversionWebhook, version: string): SpokeConversion {
  const found = kind.spokes[version];
  if (found === undefined)
    throw new WebhookError('UnknownVersion', `${kind.kind}.${kind.group} has no spoke ${version}`);
  return found;
}

/** Converts with the user's functions only (no annotations). */
async function throughHub(
  kind: ConversionWebhook,
  object: KubeObject,
  from: string,
  to: string,
): Promise<KubeObject> {
  const apiVersion = (v: string): string => `${kind.group}/${v}`;
  const input = structuredClone(object);
  let hub = from === kind.hub ? input : await spoke(kind, from).toHub(input);
  hub = { ...hub, apiVersion: apiVersion(kind.hub), kind: kind.kind, metadata: input.metadata };
  let result = to === kind.hub ? hub : await spoke(kind, to).fromHub(structuredClone(hub));
  result = { ...result, apiVersion: apiVersion(to), kind: kind.kind };
  return result;
}

/** The parts conversion may change: everything but apiVersion, kind and metadata. */
function body(object: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = object as KubeObject & Record<string, unknown>;
  return rest;
}

async function convertOne(
  kind: ConversionWebhook,
  object: KubeObject,
  from: string,
  to: string,
  id: string,
): Promise<KubeObject> {
  checkVersion(kind, from);
  checkVersion(kind, to);
  const key = conversionAnnotationPrefix + to;
  const saved = object.metadata.annotations?.[key];
  const annotations = Object.fromEntries(
    Object.entries(object.metadata.annotations ?? {}).filter(([name]) => name !== key),
  );
  const source = { ...object, metadata: { ...object.metadata, annotations } };
  let result: Record<string, unknown>;
  let back: KubeObject;
  try {
    result = body(await throughHub(kind, source, from, to));
    if (saved !== undefined) restore(result, saved, id, to);
    const restored = {
      ...result,
      apiVersion: `${kind.group}/${to}`,
      kind: kind.kind,
      metadata: source.metadata,
    };
    back = await throughHub(kind, restored, to, from);
  } catch (error) {
    if (error instanceof WebhookError) throw error;
    throw new WebhookError(
      'ConversionFailed',
      `converting ${id} from ${from} to ${to}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  // What the source held that the target cannot: the difference after a round trip.
  const lost = fastJsonPatch.compare(body(back), body(source));
  const outAnnotations = { ...annotations };
  if (lost.length > 0) outAnnotations[conversionAnnotationPrefix + from] = JSON.stringify(lost);
  const metadata = { ...object.metadata };
  if (Object.keys(outAnnotations).length > 0) metadata.annotations = outAnnotations;
  else delete metadata.annotations;
  return { ...result, apiVersion: `${kind.group}/${to}`, kind: kind.kind, metadata };
}

/** Applies the saved round-trip difference, creating missing parents; a bad annotation is ignored. */
function restore(target: Record<string, unknown>, saved: string, id: string, version: string): void {
  let ops: unknown;
  try {
    ops = JSON.parse(saved);
  } catch {
    throw new WebhookError(
      'ConversionFailed',
      `${id}: annotation ${conversionAnnotationPrefix}${version} is not JSON; remove it or restore its value`,
    );
  }
  if (!Array.isArray(ops)) return;
  for (const op of ops as ({ op?: unknown; path?: unknown; value?: unknown } | null)[]) {
    if (op === null || typeof op.path !== 'string') continue;
    const segments = op.path
      .split('/')
      .slice(1)
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = segments.pop();
    if (last === undefined) continue;
    let node: Record<string, unknown> = target;
    for (const segment of segments) {
      const next = node[segment];
      if (typeof next !== 'object' || next === null) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    if (op.op === 'remove') {
      if (Array.isArray(node)) node.splice(Number(last), 1);
      else Reflect.deleteProperty(node, last);
    } else if (Array.isArray(node) && op.op === 'add' && last !== '-' && Number(last) >= node.length) {
      node[Number(last)] = structuredClone(op.value);
    } else if (Array.isArray(node) && last === '-') {
      node.push(structuredClone(op.value));
    } else {
      node[last] = structuredClone(op.value);
    }
  }
}
