/**
 * The types of @kubeforge/runtime the generator knows: scalar aliases (int, int32, Quantity, ...)
 * and API structs with upstream schemas (Condition, LabelSelector, OwnerReference). They are recognised by
 * declaration name plus the package their declaration lives in, never by name alone, so a
 * user's own `Condition` interface is converted like any other. Being keyed on the declaring
 * package, this holds whichever entry point the user imported them through: the object-model
 * subpath `@kubeforge/runtime/api` (what scaffolds use; its module graph stays clear of the
 * client, so the generator's program does not parse @kubernetes/client-node) or the root.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Schema } from '../model/index.ts';
import {
  conditionSchema,
  embeddedObjectMetaSchema,
  labelSelectorRequirementSchema,
  labelSelectorSchema,
  ownerReferenceSchema,
} from './upstream-schemas.ts';

/** The package whose declarations are the runtime's; its `/api` subpath declares the object model. */
export const runtimePackage = '@kubeforge/runtime';

const quantityPattern =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/**
 * Schemas of the runtime's scalar type aliases, by name, as controller-gen writes the Go
 * types: `int` is Go's `int` (no format); `Duration` is metav1.Duration, a plain string
 * (`format: duration` would accept `90d`, which Go's duration parser rejects).
 */
export const scalarSchemas: Readonly<Record<string, Schema>> = {
  int: { type: 'integer' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  IntOrString: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
  Quantity: {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern: quantityPattern,
    'x-kubernetes-int-or-string': true,
  },
  Time: { type: 'string', format: 'date-time' },
  MicroTime: { type: 'string', format: 'date-time' },
  Duration: { type: 'string' },
};

/** Struct types of the runtime replaced by upstream's fixed schema (see upstream-schemas.ts). */
export const structSchemas: Readonly<Record<string, Schema>> = {
  Condition: conditionSchema,
  LabelSelector: labelSelectorSchema,
  LabelSelectorRequirement: labelSelectorRequirementSchema,
  ObjectMeta: embeddedObjectMetaSchema,
  OwnerReference: ownerReferenceSchema,
};

/** An npm package: its name and the folder holding its package.json. */
export interface PackageRoot {
  readonly name: string | undefined;
  readonly dir: string;
}

/** Finds the npm package a file belongs to (by its nearest package.json), with a cache. */
export class PackageLocator {
  readonly #byDir = new Map<string, PackageRoot | undefined>();

  packageOf(fileName: string): string | undefined {
    return this.#lookup(dirname(fileName))?.name;
  }

  /** The package a file belongs to, with its root folder. */
  rootOf(fileName: string): PackageRoot | undefined {
    return this.#lookup(dirname(fileName));
  }

  isRuntimeFile(fileName: string): boolean {
    return this.packageOf(fileName) === runtimePackage;
  }

  #lookup(dir: string): PackageRoot | undefined {
    if (this.#byDir.has(dir)) return this.#byDir.get(dir);
    let root: PackageRoot | undefined;
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      let name: string | undefined;
      try {
        name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
      } catch {
        name = undefined;
      }
      root = { name, dir };
    } else {
      const parent = dirname(dir);
      root = parent === dir ? undefined : this.#lookup(parent);
    }
    this.#byDir.set(dir, root);
    return root;
  }
}
