/**
 * The schema step of `generate.ts`: turns the OpenAPI v3 documents a kube-apiserver serves
 * (openapi/<version>/openapi/*.json) into the structural schemas controller-gen writes for the
 * same Go types, one file per group/version: `schemas/<short>/<version>.json`, shipped in the
 * package. The generator reads them when an API type embeds a built-in type
 * (`template: PodTemplateSpec`) and inlines their references; it never walks the TypeScript
 * declarations.
 *
 * A file is `{ kubernetesVersion, definitions: { <TypeName>: Schema } }`. A schema is
 * apiextensions.k8s.io/v1 JSONSchemaProps with one addition: `$ref: "<short>/<version>#<Type>"`
 * names another definition (to be inlined by the reader, its description replaced by the
 * referring field's when that has one, as controller-gen's flattener does). Everything else
 * is already what controller-gen writes. Where the served OpenAPI and controller-gen differ,
 * the rules below follow controller-gen (docs/markers.md, "Built-in types", lists them):
 *
 * - openapi-gen writes the zero value as `default` of every field without omitempty
 *   (`containerPort: default 0`, `default: {}` on struct fields); controller-gen writes only
 *   explicit `+default` markers (`protocol: default TCP`, and `name: default ""` of
 *   LocalObjectReference, which a list-map key needs). The served spec does not say which is
 *   which, so: non-zero defaults are kept; `{}` and `[]` are dropped; a scalar zero is dropped
 *   on a required field (required = no omitempty, so openapi-gen's) and kept on an optional one
 *   (optional fields are omitempty, so it is a `+default`), except the few legacy optional
 *   fields without omitempty listed in {@link implicitZeroDefaults}, checked against
 *   k8s.io/api's types.go.
 * - `enum` (from Go `+enum`) and the "Possible enum values" paragraph openapi-gen appends to
 *   descriptions are dropped: controller-gen reads neither.
 * - `x-kubernetes-patch-strategy`, `-patch-merge-key`, `-group-version-kind` and `-unions` are
 *   dropped: a CRD schema has no such fields.
 * - known types as controller-gen's KnownPackages: IntOrString and Quantity become
 *   `anyOf: [integer, string]` + `x-kubernetes-int-or-string` (Quantity with its pattern);
 *   RawExtension `{type: object, x-kubernetes-preserve-unknown-fields: true}`; apiextensions
 *   JSON (and the JSONSchemaPropsOr* unions, typeless in the served spec)
 *   `{x-kubernetes-preserve-unknown-fields: true}`.
 * - metav1.ObjectMeta is the one controller-gen writes with `crd:generateEmbeddedObjectMeta=true`
 *   (name, namespace, labels, annotations, finalizers): built-in types hold ObjectMeta only in
 *   templates (`PodTemplateSpec.metadata`), whose labels must survive pruning.
 * - floats are `type: number` without `format: double`, as controller-gen writes float64.
 */
import type { OutputFile } from './emit-types.ts';
import type { SpecModel } from './load-spec.ts';

/** A schema as the served documents and the output hold it. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface SchemaFile {
  /** `<short>/<version>`, e.g. `core/v1`. */
  readonly module: string;
  readonly kubernetesVersion: string;
  readonly definitions: Readonly<Record<string, JsonSchema>>;
}

const quantityPattern =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

const preserveUnknown: JsonSchema = { 'x-kubernetes-preserve-unknown-fields': true };

/** Types replaced by a fixed schema wherever they are referenced (controller-gen's KnownPackages). */
const knownTypes: Readonly<Record<string, JsonSchema>> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    'x-kubernetes-int-or-string': true,
  },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern: quantityPattern,
    'x-kubernetes-int-or-string': true,
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Duration': { type: 'string' },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': {
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': preserveUnknown,
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': preserveUnknown,
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': preserveUnknown,
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': preserveUnknown,
};

/** controller-gen's ObjectMeta with `crd:generateEmbeddedObjectMeta=true`. */
const embeddedObjectMeta: JsonSchema = {
  type: 'object',
  properties: {
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    name: { type: 'string' },
    namespace: { type: 'string' },
  },
};

const objectMetaName = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** Go packages whose OpenAPI names do not follow `io.k8s.api.<short>.<version>`. */
const packagePrefixes: readonly (readonly [RegExp, string])[] = [
  [/^io\.k8s\.api\.([a-z0-9]+)\.(v[a-z0-9]+)\.([A-Za-z0-9]+)$/, 'api'],
  [/^io\.k8s\.apimachinery\.pkg\.apis\.(meta)\.(v1)\.([A-Za-z0-9]+)$/, 'meta'],
  [/^io\.k8s\.apiextensions-apiserver\.pkg\.apis\.(apiextensions)\.(v1)\.([A-Za-z0-9]+)$/, 'apiextensions'],
  [/^io\.k8s\.kube-aggregator\.pkg\.apis\.(apiregistration)\.(v1)\.([A-Za-z0-9]+)$/, 'apiregistration'],
];

/** The `<short>/<version>` module and type name of an OpenAPI component, if it has one. */
export function moduleOf(componentName: string): { module: string; name: string } | undefined {
  for (const [pattern] of packagePrefixes) {
    const match = pattern.exec(componentName);
    if (match) return { module: `${match[1]}/${match[2]}`, name: match[3] ?? '' };
  }
  return undefined;
}

const emptyValues = new Set(['{}', '[]']);
const scalarZeroValues = new Set(['0', '""', 'false']);

/**
 * Optional fields declared without omitempty (`// +optional` on `json:"start"`): openapi-gen
 * gives them their zero value as default, controller-gen nothing. Every other optional field
 * with a zero default in the served spec carries an explicit `+default` marker in k8s.io/api.
 */
const implicitZeroDefaults = new Set([
  'io.k8s.api.apps.v1.StatefulSetOrdinals.start',
  'io.k8s.api.apps.v1.StatefulSetSpec.serviceName',
  'io.k8s.api.apps.v1.StatefulSetStatus.availableReplicas',
  'io.k8s.api.core.v1.Event.reportingComponent',
  'io.k8s.api.core.v1.Event.reportingInstance',
  'io.k8s.api.core.v1.NodeRuntimeHandler.name',
  'io.k8s.api.flowcontrol.v1.FlowSchemaSpec.matchingPrecedence',
  'io.k8s.api.flowcontrol.v1.QueuingConfiguration.handSize',
  'io.k8s.api.flowcontrol.v1.QueuingConfiguration.queueLengthLimit',
  'io.k8s.api.flowcontrol.v1.QueuingConfiguration.queues',
]);

/** Whether a served `default` is one controller-gen would write (see the module comment). */
function isExplicitDefault(value: unknown, where: string, zeroIsImplicit: boolean): boolean {
  const text = JSON.stringify(value);
  if (emptyValues.has(text)) return false;
  if (!scalarZeroValues.has(text)) return true;
  return !zeroIsImplicit && !implicitZeroDefaults.has(where);
}
const droppedKeys = new Set([
  'enum',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-group-version-kind',
  'x-kubernetes-unions',
]);

/** openapi-gen's enum paragraph: "\n\nPossible enum values:\n - `\"A\"` ...". */
function withoutEnumParagraph(description: string): string {
  const at = description.indexOf('Possible enum values:');
  return at < 0 ? description : description.slice(0, at).trimEnd();
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Converts one served schema to controller-gen's form; refs become `<module>#<Name>` or are inlined. */
export function convertSchema(schema: JsonSchema, where: string, zeroIsImplicit = false): JsonSchema {
  const out: Record<string, unknown> = {};
  const requiredNames = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  let target: JsonSchema | undefined;
  const refOf = (value: unknown): string | undefined =>
    isObject(value) && typeof value.$ref === 'string' ? value.$ref : undefined;
  const ref =
    refOf(schema) ??
    (Array.isArray(schema.allOf) && schema.allOf.length === 1 ? refOf(schema.allOf[0]) : undefined);
  if (ref !== undefined) target = referenceTo(ref, where);
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' || (key === 'allOf' && ref !== undefined) || droppedKeys.has(key)) continue;
    if (key === 'default' && !isExplicitDefault(value, where, zeroIsImplicit)) continue;
    if (key === 'format' && (value === 'double' || value === 'float')) continue;
    if (key === 'description' && typeof value === 'string') {
      out.description = withoutEnumParagraph(value);
    } else if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [
          name,
          convertSchema(child as JsonSchema, `${where}.${name}`, requiredNames.includes(name)),
        ]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
      // openapi-gen gives list items and map values their zero default too (`items: {default: ""}`).
      out[key] = convertSchema(value, `${where}${key === 'items' ? '[]' : '{}'}`, true);
    } else if (key === 'allOf' || key === 'oneOf' || key === 'anyOf' || key === 'not') {
      throw new Error(`${where}: unexpected ${key} in the served schema; extend emit-schemas.ts`);
    } else {
      out[key] = value;
    }
  }
  if (target === undefined) return out;
  // A known type is inlined (it is small); a definition stays a reference. Either way the
  // field's own keywords (description, list type) win over the type's.
  return { ...target, ...out };
}

function referenceTo(ref: string, where: string): JsonSchema {
  const name = ref.replace(/^#\/components\/schemas\//, '');
  const known = knownTypes[name];
  if (known) return known;
  const located = moduleOf(name);
  if (located === undefined) throw new Error(`${where}: ${name} belongs to no group/version module`);
  return { $ref: `${located.module}#${located.name}` };
}

/** Converts a component's own schema (the definition, not a use of it). */
function convertDefinition(componentName: string, schema: JsonSchema): JsonSchema {
  if (componentName === objectMetaName) {
    return typeof schema.description === 'string'
      ? { description: schema.description, ...embeddedObjectMeta }
      : embeddedObjectMeta;
  }
  const known = knownTypes[componentName];
  if (known) {
    return typeof schema.description === 'string' ? { description: schema.description, ...known } : known;
  }
  const converted = convertSchema(schema, componentName);
  // A served schema with no type and no structure (a custom marshaller) keeps any JSON.
  if (converted.type === undefined && converted.properties === undefined && converted.anyOf === undefined) {
    return { ...converted, ...preserveUnknown };
  }
  return converted;
}

/** Every component of the release, grouped into `<short>/<version>` files. */
export function buildSchemaFiles(spec: Pick<SpecModel, 'gitVersion' | 'schemas'>): readonly SchemaFile[] {
  const byModule = new Map<string, Record<string, JsonSchema>>();
  for (const name of [...spec.schemas.keys()].sort()) {
    const located = moduleOf(name);
    if (located === undefined) continue;
    const definitions = byModule.get(located.module) ?? {};
    definitions[located.name] = convertDefinition(name, (spec.schemas.get(name) ?? {}) as JsonSchema);
    byModule.set(located.module, definitions);
  }
  const kubernetesVersion = spec.gitVersion.replace(/[-+].*$/, '');
  return [...byModule.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([module, definitions]) => ({ module, kubernetesVersion, definitions }));
}

/** The text of one output file (stable: keys in the order the conversion produced them). */
export function renderSchemaFile(file: SchemaFile): string {
  return `${JSON.stringify({ kubernetesVersion: file.kubernetesVersion, definitions: file.definitions }, null, 1)}\n`;
}

/** The schema step of generate.ts: `schemas/<short>/<version>.json` for every module. */
export function emitSchemas(spec: Pick<SpecModel, 'gitVersion' | 'schemas'>): OutputFile[] {
  return buildSchemaFiles(spec).map((file) => ({
    path: `schemas/${file.module}.json`,
    contents: renderSchemaFile(file),
  }));
}
