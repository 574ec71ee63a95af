/**
 * Reads one Kubernetes release's API as its server serves it (`openapi/v<version>/`: the OpenAPI
 * v3 document and the discovery document of every group/version) into a plain model: the
 * schemas by component name, the group/versions with their kinds, and which module (import path
 * `@kubeforge/api/<short>/<version>`) each schema belongs to. Nothing here is guessed: plurals,
 * scopes and verbs come from discovery, and a discovery kind without a schema is an error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An OpenAPI v3 schema as kube-apiserver serves it (the subset the emitters read). */
export interface OpenApiSchema {
  readonly description?: string;
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, OpenApiSchema>>;
  readonly additionalProperties?: OpenApiSchema | boolean;
  readonly items?: OpenApiSchema;
  readonly allOf?: readonly OpenApiSchema[];
  readonly $ref?: string;
  readonly default?: unknown;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-group-version-kind'?: readonly {
    readonly group: string;
    readonly version: string;
    readonly kind: string;
  }[];
}

/** One top-level resource of a group/version's discovery document (subresources folded in). */
export interface ApiResourceModel {
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  readonly shortNames: readonly string[];
  readonly subresources: readonly string[];
}

/** A module of `@kubeforge/api`: a served group/version, or meta/v1. */
export interface ModuleModel {
  /** `core` for the core group, else the group's first DNS label; `meta` for meta/v1. */
  readonly short: string;
  readonly version: string;
  /** The API group (`''` for core); `undefined` for meta/v1, which is no served group. */
  readonly group: string | undefined;
  /** Component names of the schemas this module declares, sorted. */
  readonly components: readonly string[];
  /** Resources by kind, sorted by kind; empty for meta/v1. */
  readonly resources: readonly ApiResourceModel[];
}

export interface SpecModel {
  /** The release, as its server's `/version` says: `v1.34.9`. */
  readonly gitVersion: string;
  readonly schemas: ReadonlyMap<string, OpenApiSchema>;
  /** Sorted by import path. */
  readonly modules: readonly ModuleModel[];
}

/** Components the runtime's scalars stand for: never declared, always imported from `@kubeforge/runtime/api`. */
export const scalarComponents: Readonly<Record<string, string>> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'Quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'IntOrString',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 'Time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 'MicroTime',
};

/** The module a component belongs to, as `<short>/<version>`, from its Go package path. */
export function moduleOfComponent(component: string): string {
  const dot = component.lastIndexOf('.');
  const pkg = component.slice(0, dot);
  const api = /^io\.k8s\.api\.([a-z0-9]+)\.(v[a-z0-9]+)$/.exec(pkg);
  if (api) return `${api[1]}/${api[2]}`;
  const ext =
    /^io\.k8s\.(?:apiextensions-apiserver|kube-aggregator)\.pkg\.apis\.([a-z0-9]+)\.(v[a-z0-9]+)$/.exec(pkg);
  if (ext) return `${ext[1]}/${ext[2]}`;
  // k8s.io/apimachinery's meta/v1 and runtime.RawExtension live together, as in client-go users' imports.
  if (pkg === 'io.k8s.apimachinery.pkg.apis.meta.v1' || pkg === 'io.k8s.apimachinery.pkg.runtime')
    return 'meta/v1';
  throw new Error(`${component}: no @kubeforge/api module for Go package ${pkg}; extend moduleOfComponent`);
}

/** The TypeScript name of a component: the last segment of its name. */
export function typeNameOf(component: string): string {
  return component.slice(component.lastIndexOf('.') + 1);
}

/** `core` for the core group, else the group's first DNS label (as in Go's k8s.io/api). */
export function shortNameOf(group: string): string {
  return group === '' ? 'core' : (group.split('.')[0] ?? group);
}

interface DiscoveryDocument {
  readonly groupVersion: string;
  readonly resources: readonly {
    readonly name: string;
    readonly singularName?: string;
    readonly namespaced: boolean;
    readonly kind: string;
    readonly verbs: readonly string[];
    readonly shortNames?: readonly string[];
  }[];
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Reads `specDir` (e.g. `openapi/v1.34.9`). Throws with the file and the problem on inconsistent data. */
export function loadSpec(specDir: string): SpecModel {
  const version = readJson(join(specDir, 'version.json')) as { gitVersion: string };
  const schemas = new Map<string, OpenApiSchema>();
  for (const file of readdirSync(join(specDir, 'openapi')).sort()) {
    const doc = readJson(join(specDir, 'openapi', file)) as {
      components?: { schemas?: Record<string, OpenApiSchema> };
    };
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      const seen = schemas.get(name);
      if (seen !== undefined && JSON.stringify(seen) !== JSON.stringify(schema)) {
        throw new Error(`openapi/${file}: ${name} differs from the same component in another document`);
      }
      schemas.set(name, schema);
    }
  }
  const byModule = new Map<string, string[]>();
  for (const name of [...schemas.keys()].sort()) {
    if (name in scalarComponents) continue;
    const module = moduleOfComponent(name);
    byModule.set(module, [...(byModule.get(module) ?? []), name]);
  }
  const modules: ModuleModel[] = [];
  for (const file of readdirSync(join(specDir, 'discovery')).sort()) {
    const doc = readJson(join(specDir, 'discovery', file)) as DiscoveryDocument;
    const slash = doc.groupVersion.lastIndexOf('/');
    const group = slash < 0 ? '' : doc.groupVersion.slice(0, slash);
    const apiVersion = doc.groupVersion.slice(slash + 1);
    const short = shortNameOf(group);
    const components = byModule.get(`${short}/${apiVersion}`) ?? [];
    const resources = discoveryResources(doc, file).map((resource) => {
      const pkg = components[0]?.slice(0, components[0].lastIndexOf('.'));
      if (pkg === undefined || !schemas.has(`${pkg}.${resource.kind}`)) {
        throw new Error(
          `discovery/${file}: ${resource.plural} has kind ${resource.kind}, which has no schema`,
        );
      }
      return resource;
    });
    modules.push({ short, version: apiVersion, group, components, resources });
  }
  modules.push({
    short: 'meta',
    version: 'v1',
    group: undefined,
    components: byModule.get('meta/v1') ?? [],
    resources: [],
  });
  for (const module of byModule.keys()) {
    if (!modules.some((m) => `${m.short}/${m.version}` === module)) {
      throw new Error(`schemas of ${module} have no discovery document: add discovery/ for it`);
    }
  }
  modules.sort((a, b) => `${a.short}/${a.version}`.localeCompare(`${b.short}/${b.version}`));
  return { gitVersion: version.gitVersion, schemas, modules };
}

function discoveryResources(doc: DiscoveryDocument, file: string): ApiResourceModel[] {
  const subresources = new Map<string, string[]>();
  for (const r of doc.resources) {
    const [plural, sub] = r.name.split('/');
    if (plural !== undefined && sub !== undefined) {
      subresources.set(plural, [...(subresources.get(plural) ?? []), sub].sort());
    }
  }
  const resources = doc.resources
    .filter((r) => !r.name.includes('/'))
    .map((r): ApiResourceModel => ({
      kind: r.kind,
      plural: r.name,
      singular: r.singularName ?? '',
      namespaced: r.namespaced,
      verbs: [...r.verbs].sort(),
      shortNames: [...(r.shortNames ?? [])],
      subresources: subresources.get(r.name) ?? [],
    }))
    .sort((a, b) => a.kind.localeCompare(b.kind));
  const kinds = new Set<string>();
  for (const r of resources) {
    if (kinds.has(r.kind)) throw new Error(`discovery/${file}: kind ${r.kind} is served by two resources`);
    kinds.add(r.kind);
  }
  return resources;
}
