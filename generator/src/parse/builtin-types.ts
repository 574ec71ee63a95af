/**
 * Kubernetes' built-in types, as `@kubeforge/api` declares them (`PodTemplateSpec` from
 * `@kubeforge/api/core/v1`). A declaration is built-in when the file declaring it belongs to
 * the `@kubeforge/api` package (found by its package.json, like the runtime's types): the
 * name alone never decides, so a user's own `Container` interface is converted like any
 * other. The group/version module is the declaring file's folder inside the package
 * (`dist/core/v1/…` or `src/core/v1/…` -> `core/v1`).
 *
 * Built-in types are never walked through their TypeScript declarations: their schemas come
 * from the files the package ships (see builtins/schema-library.ts), which is what keeps a
 * project embedding `PodTemplateSpec` as fast to generate as one that does not.
 */
import { relative, sep } from 'node:path';
import { ts } from 'ts-morph';
import { BuiltinSchemaLibrary } from '../builtins/index.ts';
import type { Schema } from '../model/index.ts';
import type { PackageLocator } from './runtime-types.ts';
import type { SchemaBuilder, Site } from './schema-builder.ts';

/** The package whose declarations are Kubernetes' built-in types. */
export const apiPackage = '@kubeforge/api';

/** Where a built-in declaration lives: the package's schemas and its group/version module. */
export interface BuiltinLocation {
  readonly library: BuiltinSchemaLibrary;
  /** `<short>/<version>`, e.g. `core/v1`. */
  readonly module: string;
}

const versionSegment = /^v\d+((alpha|beta)\d+)?$/;

export class BuiltinTypes {
  readonly #packages: PackageLocator;
  readonly #libraries = new Map<string, BuiltinSchemaLibrary>();
  readonly #byFile = new Map<string, BuiltinLocation | undefined>();

  constructor(packages: PackageLocator) {
    this.#packages = packages;
  }

  /** The location of a declaration of `@kubeforge/api`, or `undefined` for any other. */
  locate(declaration: ts.Node): BuiltinLocation | undefined {
    const fileName = declaration.getSourceFile().fileName;
    if (this.#byFile.has(fileName)) return this.#byFile.get(fileName);
    const located = this.#locateFile(fileName);
    this.#byFile.set(fileName, located);
    return located;
  }

  #locateFile(fileName: string): BuiltinLocation | undefined {
    const root = this.#packages.rootOf(fileName);
    if (root?.name !== apiPackage) return undefined;
    // <dist|src>/<short>/<version>/<file>
    const segments = relative(root.dir, fileName).split(sep);
    const [short, version] = [segments[1], segments[2]];
    if (short === undefined || version === undefined || !versionSegment.test(version)) return undefined;
    let library = this.#libraries.get(root.dir);
    if (library === undefined) {
      library = new BuiltinSchemaLibrary(root.dir);
      this.#libraries.set(root.dir, library);
    }
    return { library, module: `${short}/${version}` };
  }
}

/**
 * The schema of a built-in type (declared in `@kubeforge/api`), read from the schemas the
 * package ships without walking the declaration; `undefined` for any other type. A type
 * alias the package declares without a schema is converted from its declaration
 * (`required` false); an interface without one is an error.
 */
export function builtinTypeSchema(
  builder: SchemaBuilder,
  symbol: ts.Symbol,
  declaration: ts.Declaration,
  site: Site,
  required: boolean,
): { readonly schema: Schema | undefined } | undefined {
  const location = builder.ctx.builtins.locate(declaration);
  if (location === undefined) return undefined;
  const found = location.library.schemaOf(location.module, symbol.name);
  if ('schema' in found) return { schema: found.schema };
  if (!required) return undefined;
  const from = `${apiPackage}/${location.module}`;
  if (found.reason === 'no-module') {
    return {
      schema: builder.error(
        site,
        'builtin-schema-missing',
        `${symbol.name} from ${from}: the package has no schemas for ${location.module} (${found.file} is missing)`,
        `reinstall ${apiPackage}: its schemas/ folder ships with it`,
      ),
    };
  }
  return {
    schema: builder.error(
      site,
      'builtin-schema-missing',
      `${symbol.name} from ${from} has no schema in ${found.file}`,
      'embed API types of Kubernetes (structs such as PodTemplateSpec, Container, EnvVar); descriptors and helpers have no schema',
    ),
  };
}

/**
 * A field a user's type takes from a built-in one (`extends Container`, `Pick<PodSpec, ...>`,
 * `PodSpec & {...}`): its schema from the built-in type's, as upstream declares it;
 * `undefined` when the field is not declared by a built-in type.
 */
export function builtinPropertySchema(
  builder: SchemaBuilder,
  property: ts.Symbol,
  declaration: ts.Declaration,
  site: Site,
): Schema | undefined {
  const owner = declaration.parent;
  if (!ts.isInterfaceDeclaration(owner)) return undefined;
  const location = builder.ctx.builtins.locate(owner);
  if (location === undefined) return undefined;
  const schema = location.library.propertyOf(location.module, owner.name.text, property.name);
  if (schema) return schema;
  builder.error(
    site,
    'builtin-schema-missing',
    `${owner.name.text}.${property.name} from ${apiPackage}/${location.module} has no schema`,
    `reinstall ${apiPackage}: its schemas/ folder ships with it`,
  );
  // Something to carry on with; the error keeps the CRD from being written.
  return { 'x-kubernetes-preserve-unknown-fields': true };
}
