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
import type { ts } from 'ts-morph';
import { BuiltinSchemaLibrary } from '../builtins/index.ts';
import type { PackageLocator } from './runtime-types.ts';

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
