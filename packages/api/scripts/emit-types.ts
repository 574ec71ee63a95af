/**
 * The TypeScript half of `@kubeforge/api`: for every module of the spec, `types.ts` (one
 * declaration per component, compiled by json-schema-to-typescript with the spec's descriptions
 * as JSDoc), `resources.ts` (one descriptor per kind, from discovery) and `index.ts`. Output is
 * a pure function of the spec: components and imports are sorted, and the text is formatted by
 * the repository's Prettier configuration.
 */
import type { JSONSchema } from 'json-schema-to-typescript';
import { emitResources, kindOverrides } from './emit-resources.ts';
import { typeNameOf, type ModuleModel, type SpecModel } from './load-spec.ts';
import { descriptorName, header, moduleDir } from './names.ts';
import { aliasOf, ModuleImports, toJsonSchema } from './to-json-schema.ts';

/** A file to write, relative to the package directory. */
export interface OutputFile {
  readonly path: string;
  readonly contents: string;
}

/**
 * Components whose Go types marshal themselves, so the spec gives them no type: their shape,
 * from the Go type's documentation. Everything else comes from the spec.
 */
export const untypedComponents: Readonly<Record<string, string>> = {
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray':
    'JSONSchemaProps | JSONSchemaProps[]',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool':
    'JSONSchemaProps | boolean',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray':
    'JSONSchemaProps | string[]',
};

/** meta/v1 types the runtime already declares: re-exported, so a `KubeObject` and a kind share one `ObjectMeta`. */
export const runtimeMetaTypes: readonly string[] = [
  'Condition',
  'LabelSelector',
  'LabelSelectorRequirement',
  'ListMeta',
  'ManagedFieldsEntry',
  'ObjectMeta',
  'OwnerReference',
  'Status',
  'StatusCause',
];

/** Every file of the package's generated sources. */
export async function emitTypes(spec: SpecModel): Promise<OutputFile[]> {
  const files: OutputFile[] = [];
  for (const module of spec.modules) files.push(...(await emitModule(spec, module)));
  files.push({
    path: 'src/release.ts',
    contents:
      `${header(spec)}\n/** The Kubernetes release whose API these types and descriptors describe. */\n` +
      `export const kubernetesRelease = '${spec.gitVersion}';\n`,
  });
  return Promise.all(files.map(async (file) => ({ path: file.path, contents: await format(file.contents) })));
}

async function emitModule(spec: SpecModel, module: ModuleModel): Promise<OutputFile[]> {
  const name = `${module.short}/${module.version}`;
  const isMeta = name === 'meta/v1';
  const reexported = new Set(isMeta ? runtimeMetaTypes : []);
  const components = module.components.filter((c) => !reexported.has(typeNameOf(c)));
  const local = new Set(module.components.map(typeNameOf));
  const imports = new ModuleImports(name, local);
  const overrides = kindOverrides(module);
  const declarations: string[] = [];
  for (const component of components) {
    const typeName = typeNameOf(component);
    const schema = spec.schemas.get(component);
    if (schema === undefined) throw new Error(`${component}: no schema`);
    const untyped = untypedComponents[component];
    const converted =
      untyped === undefined
        ? toJsonSchema(schema, imports, typeName)
        : {
            ...(schema.description === undefined ? {} : { description: schema.description }),
            tsType: untyped,
          };
    declarations.push(
      await compileDeclaration(overrides.get(typeName)?.(converted, imports) ?? converted, typeName),
    );
  }
  const lines = [header(spec), moduleComment(module), ''];
  if (isMeta) {
    const used = runtimeMetaTypes.filter((n) => imports.localUses.has(n));
    if (used.length > 0) lines.push(`import type { ${used.join(', ')} } from '@kubeforge/runtime/api';`);
    lines.push(
      `export type { ${['MicroTime', 'Time', ...runtimeMetaTypes].sort().join(', ')} } from '@kubeforge/runtime/api';`,
    );
  }
  const scalars = [...imports.scalars].sort();
  if (scalars.length > 0) lines.push(`import type { ${scalars.join(', ')} } from '@kubeforge/runtime/api';`);
  for (const [other, names] of [...imports.modules].sort(([a], [b]) => a.localeCompare(b))) {
    const specifiers = [...names]
      .sort()
      .map((n) => (local.has(n) ? `${n} as ${aliasOf(other, n)}` : n))
      .join(', ');
    lines.push(`import type { ${specifiers} } from '../../${other}/index.ts';`);
  }
  lines.push('', ...declarations);
  const files: OutputFile[] = [{ path: `${moduleDir(module)}/types.ts`, contents: lines.join('\n') }];
  const typeNames = components.map(typeNameOf).sort();
  const index = [header(spec), moduleComment(module), ''];
  const exported = isMeta ? [...typeNames, 'MicroTime', 'Time', ...runtimeMetaTypes].sort() : typeNames;
  index.push(`export type { ${exported.join(', ')} } from './types.ts';`);
  if (module.resources.length > 0) {
    files.push({ path: `${moduleDir(module)}/resources.ts`, contents: emitResources(spec, module) });
    const descriptors = module.resources.map((r) => descriptorName(r.kind, r.plural));
    index.push(`export { allResources, ${descriptors.join(', ')} } from './resources.ts';`);
  }
  files.push({ path: `${moduleDir(module)}/index.ts`, contents: index.join('\n') + '\n' });
  return files;
}

function moduleComment(module: ModuleModel): string {
  if (module.group === undefined) {
    return [
      '/**',
      ' * meta/v1 (k8s.io/apimachinery/pkg/apis/meta/v1): the object model every kind shares. ObjectMeta,',
      " * ListMeta, LabelSelector, Condition, OwnerReference and Status are `@kubeforge/runtime/api`'s own",
      ' * types, re-exported, so a built-in kind is a `KubeObject` without conversion.',
      ' */',
    ].join('\n');
  }
  const gv = module.group === '' ? module.version : `${module.group}/${module.version}`;
  const group = module.group === '' ? 'the core group' : module.group;
  return [
    '/**',
    ` * ${gv} (${group}, version ${module.version}): its types, and a descriptor for each of its`,
    ` * ${module.resources.length} kinds. Other group/versions are referenced with \`import type\` only: loading`,
    ' * this module loads no other.',
    ' */',
  ].join('\n');
}

async function compileDeclaration(schema: JSONSchema, name: string): Promise<string> {
  const { compile } = await import('json-schema-to-typescript');
  const text = await compile(schema, name, {
    bannerComment: '',
    additionalProperties: false,
    unknownAny: true,
    strictIndexSignatures: false,
    declareExternallyReferenced: true,
    enableConstEnums: false,
    ignoreMinAndMaxItems: true,
    format: false,
  });
  return recordsForIndexSignatures(text).trim() + '\n';
}

/** `{ [k: string]: T }` -> `Record<string, T>`, as the repository's lint rules want; innermost first. */
export function recordsForIndexSignatures(text: string): string {
  const pattern = /\{\s*\[k: string\]: ([^;{}]+);?\s*\}/g;
  let previous;
  let current = text;
  do {
    previous = current;
    current = current.replace(pattern, (_match, type: string) => `Record<string, ${type.trim()}>`);
  } while (current !== previous);
  return current;
}

async function format(contents: string): Promise<string> {
  const prettier = await import('prettier');
  const options = await prettier.resolveConfig(import.meta.filename);
  return prettier.format(contents, { ...options, parser: 'typescript' });
}
