/**
 * The CEL environment of one validation rule as the API server builds it: `self` (and
 * `oldSelf` for transition rules) typed from the structural schema at the rule's location,
 * the standard library with macros, and the Kubernetes libraries of the target version.
 *
 * Types follow apiextensions-apiserver: objects with properties are object types with those
 * fields (names escaped, see {@link celPropertyName}), `additionalProperties` a
 * `map(string, V)`, arrays `list(T)`, int-or-string and schemaless values `dyn`, strings of
 * format `byte`/`date-time`/`duration` `bytes`/`timestamp`/`duration`.
 */
import { Environment } from '@marcbachmann/cel-js';
import { kubernetesLibraries, optionalTypesSince } from './kubernetes-library.ts';
import {
  celPropertyName,
  isDynamicSchema,
  mapValueSchema,
  type StructuralSchema,
} from './structural-schema.ts';
import { celEquals } from './values.ts';
import { kubeVersionAtLeast, latestKubeVersion } from './versions.ts';

/** How a rule sees the old object: not at all, as the old value, or as an optional. */
export type OldSelfMode = 'none' | 'value' | 'optional';

export interface RuleEnvironmentOptions {
  /** The Kubernetes minor version whose API server checks the rule; default the latest known. */
  readonly kubeVersion?: string;
  readonly oldSelf?: OldSelfMode;
}

const bases = new Map<string, Environment>();

function baseEnvironment(kubeVersion: string): Environment {
  let base = bases.get(kubeVersion);
  if (base === undefined) {
    base = new Environment({
      enableOptionalTypes: kubeVersionAtLeast(kubeVersion, optionalTypesSince),
      homogeneousAggregateLiterals: true,
    });
    for (const library of kubernetesLibraries) {
      if (kubeVersionAtLeast(kubeVersion, library.since)) library.register(base);
    }
    bases.set(kubeVersion, base);
  }
  return base;
}

/** A new environment with `self` (and `oldSelf`) typed from `schema`. */
export function createRuleEnvironment(
  schema: StructuralSchema,
  options: RuleEnvironmentOptions = {},
): Environment {
  const env = baseEnvironment(options.kubeVersion ?? latestKubeVersion).clone();
  const selfType = declareSchemaType(env, schema, 'Self', new Set());
  env.registerVariable('self', selfType);
  const oldSelf = options.oldSelf ?? 'none';
  if (oldSelf === 'value') env.registerVariable('oldSelf', selfType);
  if (oldSelf === 'optional') env.registerVariable('oldSelf', `optional<${selfType}>`);
  return env;
}

/** Registers the object types below `schema` and returns the CEL type name of its values. */
export function declareSchemaType(
  env: Environment,
  schema: StructuralSchema,
  name: string,
  taken: Set<string>,
): string {
  if (isDynamicSchema(schema)) return 'dyn';
  switch (schema.type) {
    case 'integer':
      return 'int';
    case 'number':
      return 'double';
    case 'boolean':
      return 'bool';
    case 'string':
      return schema.format === 'byte'
        ? 'bytes'
        : schema.format === 'date-time'
          ? 'google.protobuf.Timestamp'
          : schema.format === 'duration'
            ? 'google.protobuf.Duration'
            : 'string';
    case 'array':
      return `list<${declareSchemaType(env, schema.items ?? {}, `${name}.items`, taken)}>`;
    case 'object': {
      const values = mapValueSchema(schema);
      if (values !== undefined)
        return `map<string, ${declareSchemaType(env, values, `${name}.values`, taken)}>`;
      let typeName = name;
      for (let i = 2; taken.has(typeName); i++) typeName = `${name}${i}`;
      taken.add(typeName);
      const fields: Record<string, string> = {};
      for (const [property, child] of Object.entries(objectProperties(schema))) {
        const field = celPropertyName(property);
        if (field === undefined) continue;
        fields[field] = declareSchemaType(env, child, `${typeName}.${field}`, taken);
      }
      env.registerType(typeName, { fields });
      env.registerOperator(`${typeName} == ${typeName}`, celEquals);
      return typeName;
    }
    default:
      return 'dyn';
  }
}

/**
 * The root schema as rules see it: `metadata` has only `name` and `generateName`, whatever
 * the CRD declares.
 */
export function celRootSchema(root: StructuralSchema): StructuralSchema {
  if (root.properties?.metadata === undefined) return root;
  return { ...root, properties: { ...root.properties, metadata: embeddedMetadata } };
}

const embeddedMetadata: StructuralSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, generateName: { type: 'string' } },
};

/** The properties a rule can read; embedded resources always have apiVersion, kind and metadata. */
export function objectProperties(schema: StructuralSchema): Readonly<Record<string, StructuralSchema>> {
  if (schema['x-kubernetes-embedded-resource'] !== true) return schema.properties ?? {};
  return {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: embeddedMetadata,
    ...schema.properties,
  };
}
