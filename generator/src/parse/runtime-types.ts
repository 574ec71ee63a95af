/**
 * The types of @kubeforge/runtime the generator knows: scalar aliases (int32, Quantity, ...)
 * and API structs with upstream schemas (Condition, LabelSelector). They are recognised by
 * declaration name plus the package their declaration lives in, never by name alone, so a
 * user's own `Condition` interface is converted like any other. Being keyed on the declaring
 * package, this holds whichever entry point the user imported them through: the object-model
 * subpath `@kubeforge/runtime/api` (what scaffolds use; its module graph stays clear of the
 * client, so the generator's program does not parse @kubernetes/client-node) or the root.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Schema } from '../model/index.ts';

/** The package whose declarations are the runtime's; its `/api` subpath declares the object model. */
export const runtimePackage = '@kubeforge/runtime';

const quantityPattern =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/** Schemas of the runtime's scalar type aliases, by name. */
export const scalarSchemas: Readonly<Record<string, Schema>> = {
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
  Duration: { type: 'string', format: 'duration' },
};

/** metav1.Condition with the validation upstream declares on it. */
const conditionSchema: Schema = {
  type: 'object',
  description: 'Condition contains details for one aspect of the current state of this API Resource.',
  required: ['lastTransitionTime', 'message', 'reason', 'status', 'type'],
  properties: {
    lastTransitionTime: {
      type: 'string',
      format: 'date-time',
      description:
        'lastTransitionTime is the last time the condition transitioned from one status to another.',
    },
    message: {
      type: 'string',
      maxLength: 32768,
      description: 'message is a human readable message indicating details about the transition.',
    },
    observedGeneration: {
      type: 'integer',
      format: 'int64',
      minimum: 0,
      description: 'observedGeneration is the .metadata.generation that the condition was set based upon.',
    },
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
      description:
        "reason contains a programmatic identifier indicating the reason for the condition's last transition.",
    },
    status: {
      type: 'string',
      enum: ['True', 'False', 'Unknown'],
      description: 'status of the condition, one of True, False, Unknown.',
    },
    type: {
      type: 'string',
      maxLength: 316,
      pattern:
        '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
      description: 'type of condition in CamelCase or in foo.example.com/CamelCase.',
    },
  },
};

/**
 * ObjectMeta embedded below the root (a pod-template-like `template.metadata`): the fields a
 * template carries, exactly as controller-gen writes them with
 * `crd:generateEmbeddedObjectMeta=true` (name, namespace, labels, annotations, finalizers; the
 * same as the built-in templates of @kubeforge/api). Root `metadata` (and that of
 * `@embeddedResource` values) is `{type: object}`: the API server validates it itself.
 */
const embeddedObjectMetaSchema: Schema = {
  type: 'object',
  properties: {
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    name: { type: 'string' },
    namespace: { type: 'string' },
  },
};

/** Struct types of the runtime replaced by a fixed schema. */
export const structSchemas: Readonly<Record<string, Schema>> = {
  Condition: conditionSchema,
  ObjectMeta: embeddedObjectMetaSchema,
};

/** Extra schema keywords upstream puts on runtime structs converted from their declarations. */
export const structOverlays: Readonly<Record<string, Schema>> = {
  LabelSelector: { 'x-kubernetes-map-type': 'atomic' },
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
