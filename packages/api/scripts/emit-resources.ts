/**
 * The descriptors of a group/version (`resources.ts`), one per kind its discovery document
 * serves, and the shape its kinds take so that each is a `KubeObject`: `metadata` is required
 * and is the runtime's `ObjectMeta`; `apiVersion` and `kind` are the kind's literals.
 */
import type { JSONSchema } from 'json-schema-to-typescript';
import { descriptorName, header } from './names.ts';
import type { ModuleModel, SpecModel } from './load-spec.ts';
import type { ModuleImports } from './to-json-schema.ts';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** The verbs a discovery document may list; another one fails generation rather than being dropped. */
export const knownVerbs: readonly string[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

type Override = (schema: JSONSchema, imports: ModuleImports) => JSONSchema;

/** How the root declaration of each served kind differs from its component schema. */
export function kindOverrides(module: ModuleModel): ReadonlyMap<string, Override> {
  const overrides = new Map<string, Override>();
  if (module.group === undefined) return overrides;
  const apiVersion = module.group === '' ? module.version : `${module.group}/${module.version}`;
  for (const resource of module.resources) {
    overrides.set(resource.kind, (schema, imports) => {
      const properties = schema.properties ?? {};
      if (properties.metadata === undefined) {
        throw new Error(`${apiVersion} ${resource.kind}: the kind's schema has no metadata`);
      }
      return {
        ...schema,
        properties: {
          ...properties,
          apiVersion: { ...properties.apiVersion, type: undefined, tsType: `'${apiVersion}'` },
          kind: { ...properties.kind, type: undefined, tsType: `'${resource.kind}'` },
          metadata: { ...properties.metadata, tsType: imports.reference(OBJECT_META) },
        },
        required: [
          ...new Set([...(Array.isArray(schema.required) ? schema.required : []), 'metadata']),
        ].sort(),
      };
    });
  }
  return overrides;
}

function list(values: readonly string[]): string {
  return `[${values.map((v) => `'${v}'`).join(', ')}]`;
}

export function emitResources(spec: SpecModel, module: ModuleModel): string {
  const group = module.group ?? '';
  const apiVersion = group === '' ? module.version : `${group}/${module.version}`;
  const kinds = module.resources.map((r) => r.kind);
  const lines = [
    header(spec),
    '/**',
    ` * Where each kind of ${apiVersion} lives in the API, as the ${spec.gitVersion} server's discovery`,
    ' * document says: pass a descriptor to `createResourceClient`, `informerFor`, `.owns(...)` or',
    ' * `context.client.resource(...)` and the object type follows from it.',
    ' */',
    "import type { BuiltInResource } from '../../built-in-resource.ts';",
    `import type { ${kinds.join(', ')} } from './types.ts';`,
    '',
  ];
  for (const r of module.resources) {
    for (const verb of r.verbs) {
      if (!knownVerbs.includes(verb)) throw new Error(`${apiVersion} ${r.plural}: unknown verb ${verb}`);
    }
    const scope = r.namespaced ? 'namespaced' : 'cluster-scoped';
    const subresources = r.subresources.length > 0 ? `; subresources ${r.subresources.join(', ')}` : '';
    lines.push(
      `/** ${r.kind} (${apiVersion}, ${scope}): \`${r.plural}\`, verbs ${r.verbs.join(', ')}${subresources}. */`,
      `export const ${descriptorName(r.kind, r.plural)}: BuiltInResource<${r.kind}> = {`,
      `  group: '${group}',`,
      `  version: '${module.version}',`,
      `  kind: '${r.kind}',`,
      `  plural: '${r.plural}',`,
      `  namespaced: ${r.namespaced},`,
      `  singular: '${r.singular}',`,
      `  verbs: ${list(r.verbs)},`,
      `  shortNames: ${list(r.shortNames)},`,
      `  subresources: ${list(r.subresources)},`,
      '};',
      '',
    );
  }
  lines.push(
    `/** Every kind ${apiVersion} serves, sorted by kind. */`,
    `export const allResources: readonly BuiltInResource[] = [${module.resources
      .map((r) => descriptorName(r.kind, r.plural))
      .join(', ')}];`,
  );
  return lines.join('\n') + '\n';
}
