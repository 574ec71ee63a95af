/**
 * The structural schemas of Kubernetes' built-in types, read from the files `@kubeforge/api`
 * ships (`schemas/<short>/<version>.json`, written by its emit-schemas step: controller-gen's
 * schemas of the same Go types, references between types kept as `<short>/<version>#<Type>`).
 * A library inlines those references, since a CRD cannot hold `$ref`s: a referring field's
 * description replaces the type's (controller-gen's flattener does the same), its other
 * keywords are kept over the type's.
 *
 * Recursive types (apiextensions' JSONSchemaProps holds JSONSchemaProps) are cut where a type
 * meets itself: that field keeps any JSON (`type: object` + `x-kubernetes-preserve-unknown-fields`),
 * since a structural schema cannot express recursion.
 *
 * Plain data only: no compiler. Files are read on first use and kept; schemas returned are
 * shared and must not be mutated.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Schema } from '../model/index.ts';

type RawSchema = Readonly<Record<string, unknown>>;

interface SchemaFile {
  readonly kubernetesVersion: string;
  readonly definitions: Readonly<Record<string, RawSchema>>;
}

/** Why a lookup found nothing: the module's file is missing, or the type is not in it. */
export type LookupFailure =
  | { readonly reason: 'no-module'; readonly file: string }
  | { readonly reason: 'no-type'; readonly file: string };

export type Lookup = { readonly schema: Schema } | LookupFailure;

export class BuiltinSchemaLibrary {
  readonly #schemasDir: string;
  readonly #files = new Map<string, SchemaFile | undefined>();
  readonly #expanded = new Map<string, Schema>();

  /** `packageDir` is the root of an installed `@kubeforge/api` (it holds `schemas/`). */
  constructor(packageDir: string) {
    this.#schemasDir = join(packageDir, 'schemas');
  }

  /** The Kubernetes release a module's schemas come from, e.g. `v1.34.9`. */
  kubernetesVersion(module: string): string | undefined {
    return this.#file(module)?.kubernetesVersion;
  }

  /** The inlined schema of a type, e.g. `('core/v1', 'PodTemplateSpec')`. */
  schemaOf(module: string, typeName: string): Lookup {
    const file = this.#file(module);
    const path = this.#pathOf(module);
    if (file === undefined) return { reason: 'no-module', file: path };
    if (!Object.hasOwn(file.definitions, typeName)) return { reason: 'no-type', file: path };
    return { schema: this.#expandRef(`${module}#${typeName}`, []) };
  }

  /**
   * The inlined schema of one property of a type, for fields a user's type takes from a
   * built-in one through `extends`, `Pick`, `Omit` or an intersection.
   */
  propertyOf(module: string, typeName: string, property: string): Schema | undefined {
    const definition = this.#file(module)?.definitions[typeName];
    const properties = definition?.properties as Readonly<Record<string, RawSchema>> | undefined;
    const raw = properties && Object.hasOwn(properties, property) ? properties[property] : undefined;
    return raw && this.#expand(raw, [`${module}#${typeName}`]);
  }

  #pathOf(module: string): string {
    return join(this.#schemasDir, `${module}.json`);
  }

  #file(module: string): SchemaFile | undefined {
    if (this.#files.has(module)) return this.#files.get(module);
    const path = this.#pathOf(module);
    const file = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SchemaFile) : undefined;
    this.#files.set(module, file);
    return file;
  }

  /**
   * A definition by reference, inlined; cut when the reference is already being expanded.
   * `cuts` collects the stack depths of the references that were cut below this one.
   */
  #expandRef(ref: string, stack: readonly string[], cuts: number[] = []): Schema {
    const cached = this.#expanded.get(ref);
    if (cached) return cached;
    const depth = stack.indexOf(ref);
    if (depth >= 0) {
      cuts.push(depth);
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
    const [module = '', typeName = ''] = ref.split('#');
    const raw = this.#file(module)?.definitions[typeName];
    if (raw === undefined) throw new Error(`@kubeforge/api schemas: ${ref} is referenced but not defined`);
    const inner: number[] = [];
    const schema = this.#expand(raw, [...stack, ref], inner);
    cuts.push(...inner);
    // A cut at an outer reference depends on where this type was entered: cache only
    // expansions that are the same wherever they start.
    if (inner.every((at) => at >= stack.length)) this.#expanded.set(ref, schema);
    return schema;
  }

  #expand(raw: RawSchema, stack: readonly string[], cuts: number[] = []): Schema {
    const out: Record<string, unknown> = {};
    let base: Schema | undefined;
    for (const [key, value] of Object.entries(raw)) {
      if (key === '$ref' && typeof value === 'string') {
        base = this.#expandRef(value, stack, cuts);
      } else if (key === 'properties') {
        out.properties = Object.fromEntries(
          Object.entries(value as Readonly<Record<string, RawSchema>>).map(([name, child]) => [
            name,
            this.#expand(child, stack, cuts),
          ]),
        );
      } else if (key === 'items' || key === 'additionalProperties') {
        out[key] = this.#expand(value as RawSchema, stack, cuts);
      } else {
        out[key] = value;
      }
    }
    return base === undefined ? out : { ...base, ...out };
  }
}
