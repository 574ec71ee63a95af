/**
 * Renders docs/markers.md from the marker definitions and the type mapping table, so the
 * reference cannot drift from the implementation (a test fails when the file is stale).
 */
import { markerDefinitions, type MarkerDefinition, type MarkerTarget } from './definitions.ts';

/** How TypeScript types map to the structural schema; rendered into docs/markers.md. */
export const typeMappings: readonly { readonly typescript: string; readonly schema: string }[] = [
  { typescript: '`string`', schema: '`type: string`' },
  { typescript: '`number`', schema: '`type: number` (`@format int32`/`int64` make it an integer)' },
  {
    typescript: '`int32`, `int64` (from @kubeforge/runtime/api)',
    schema: '`type: integer`, `format: int32`/`int64`',
  },
  {
    typescript: '`int` (from @kubeforge/runtime/api)',
    schema: "`type: integer` without a format (Go's `int`; prefer `int32`/`int64` in new APIs)",
  },
  { typescript: '`boolean`', schema: '`type: boolean`' },
  {
    typescript: 'template literal types (`v${number}`, `${Registry}/${string}`)',
    schema: '`type: string` with an anchored `pattern`',
  },
  { typescript: "`'a' \\| 'b'`, `1 \\| 2`, string enums", schema: '`enum` of the literals' },
  { typescript: '`T[]`, `readonly T[]`, `Array<T>`', schema: '`type: array`, `items`' },
  {
    typescript: '`Record<string, T>`, `{ [key: string]: T }`',
    schema: '`type: object`, `additionalProperties`',
  },
  {
    typescript: 'interfaces, type literals, aliases, generics, `Pick`/`Omit`/`Partial`',
    schema: '`type: object`, `properties` (inlined: structural schemas have no `$ref`)',
  },
  {
    typescript: '`{ name: string; [key: string]: unknown }`',
    schema: '`properties` plus `x-kubernetes-preserve-unknown-fields` (extra fields are kept)',
  },
  { typescript: '`A & B`', schema: 'one object with the properties of both' },
  { typescript: '`prop?: T`', schema: 'not in `required`' },
  {
    typescript: '`T \\| null`',
    schema:
      '`nullable: true`; a nullable string enum becomes an anchored `pattern` (servers check enums even for null)',
  },
  { typescript: '`IntOrString`', schema: '`x-kubernetes-int-or-string: true` (integer or string)' },
  { typescript: '`Quantity`', schema: 'int-or-string with the quantity pattern (`500m`, `1Gi`)' },
  { typescript: '`Time`, `MicroTime`', schema: '`type: string`, `format: date-time`' },
  {
    typescript: '`Duration`',
    schema:
      "`type: string` (metav1.Duration, `1h30m`), as upstream: `format: duration` would accept `90d`, which Go's parser rejects; add a `@pattern` to check the syntax",
  },
  { typescript: '`ObjectMeta` at `metadata`', schema: '`type: object` (the API server validates metadata)' },
  {
    typescript: '`ObjectMeta` elsewhere (templates)',
    schema:
      "name, namespace, labels, annotations, finalizers (controller-gen's `generateEmbeddedObjectMeta`)",
  },
  {
    typescript: '`LabelSelector`, `LabelSelectorRequirement`, `Condition`, `OwnerReference`',
    schema:
      "upstream's schemas, as controller-gen writes them: atomic selector and owner reference, atomic lists, Condition with its upstream validation",
  },
  {
    typescript: 'built-in types from `@kubeforge/api/<group>/<version>` (`PodTemplateSpec`, `EnvVar[]`, ...)',
    schema:
      "controller-gen's schema of the Go type, inlined; see [Built-in Kubernetes types](#built-in-kubernetes-types)",
  },
  {
    typescript: 'union of objects with a common literal field',
    schema: "one object; the field is an `enum`; CEL rules require each member's fields (servers >= 1.25)",
  },
  {
    typescript: '`unknown`, `any`',
    schema: 'error unless `@preserveUnknownFields` (then `x-kubernetes-preserve-unknown-fields`)',
  },
  {
    typescript: 'functions, tuples, `Date`, `Map`, `bigint`, recursive types, other unions',
    schema: 'error: no sound JSON schema',
  },
];

/** How embedded built-in types are converted; rendered after the type mapping table. */
export const builtinTypesSection: readonly string[] = [
  '## Built-in Kubernetes types',
  '',
  'Any type of `@kubeforge/api/<group>/<version>` can be a field of an API type, alone, in an array,',
  "in a map, through `extends`, `Pick`/`Omit`/`Partial` or `&` — kubebuilder's CronJob, for one:",
  '',
  '```ts',
  "import type { ObjectMeta } from '@kubeforge/runtime/api';",
  "import type { JobTemplateSpec } from '@kubeforge/api/batch/v1';",
  "import type { EnvVar, PodTemplateSpec, ResourceRequirements, Toleration } from '@kubeforge/api/core/v1';",
  '',
  'export interface CronJobSpec {',
  '  /** @minLength 0 */',
  '  schedule: string;',
  '  /** Specifies the job that will be created when executing a CronJob. */',
  '  jobTemplate: JobTemplateSpec;',
  '}',
  '',
  'export interface WorkerSpec {',
  '  /**',
  '   * The pods each worker runs.',
  '   * @validation rule="size(self.spec.containers) <= 4" message="at most 4 containers"',
  '   */',
  '  template: PodTemplateSpec;',
  '  resources?: ResourceRequirements;',
  '  /**',
  '   * @listType map',
  '   * @listMapKey name',
  '   */',
  '  env?: EnvVar[];',
  '  tolerations?: Toleration[];',
  '}',
  '```',
  '',
  'The CRD gets the structural schema controller-gen writes for the same Go type with',
  '`crd:generateEmbeddedObjectMeta=true`: properties, `required`, descriptions, formats,',
  '`x-kubernetes-list-type`, `x-kubernetes-list-map-keys` and `x-kubernetes-map-type` as upstream',
  'declares them, every `$ref` inlined. The schemas come from the OpenAPI a Kubernetes server serves',
  '(the release `@kubeforge/api` is generated from, v1.34.9), turned into what controller-gen',
  'writes where the two differ:',
  '',
  '- **Template metadata** (`template.metadata` of a `PodTemplateSpec`, `JobTemplateSpec`, ...) is',
  '  `name`, `namespace`, `labels`, `annotations` and `finalizers`, as controller-gen writes it with',
  "  `crd:generateEmbeddedObjectMeta=true`. Without that option (kubebuilder's default) it is",
  '  `type: object` and the API server prunes the labels of every pod template; kubeforge always',
  '  keeps them.',
  '- **Defaults**: only upstream `+default` markers are written (`protocol: TCP` of container and',
  '  service ports, `name: ""` of `LocalObjectReference`, which a list-map key needs). The zero',
  '  values openapi-gen adds to fields without `omitempty` (`containerPort: 0`, `{}` on structs)',
  '  are not: a pod template in a CRD is not defaulted by the server as if it were a Pod.',
  '- **Enums**: Go `+enum` values are not written (controller-gen does not read `+enum`), nor the',
  '  "Possible enum values" paragraph openapi-gen appends to descriptions.',
  '- **`IntOrString`** is `anyOf: [integer, string]` with `x-kubernetes-int-or-string`;',
  '  **`Quantity`** the same plus the quantity pattern: `cpu: 0.5` is rejected, write `500m`.',
  '- **`RawExtension`** is `type: object` with `x-kubernetes-preserve-unknown-fields`; apiextensions',
  '  `JSON` and the `JSONSchemaPropsOr*` unions keep any JSON.',
  '- **Recursive types** (apiextensions `JSONSchemaProps` holds `JSONSchemaProps`) are cut where a',
  '  type meets itself: that field keeps any JSON (`type: object`,',
  '  `x-kubernetes-preserve-unknown-fields`). Structural schemas cannot express recursion.',
  "- **Descriptions** are upstream's text with paragraphs as the served OpenAPI has them",
  "  (controller-gen keeps the line breaks of the Go comments). A field's own JSDoc replaces the",
  "  type's description, as controller-gen does; without one the type's description stays.",
  '- Floats are `type: number` without `format: double`.',
  '',
  'Field markers on such a field apply on top of the built-in schema (`@validation`, `@listType`,',
  '`@maxItems`, `@default`, ...). A built-in type is recognised by the package that declares it,',
  'never by its name alone: your own `Container` interface is converted like any other. The',
  'generator reads the schemas `@kubeforge/api` ships (`schemas/<group>/<version>.json`) and never',
  "walks the types' TypeScript declarations, so embedding costs little generation time. A",
  '`PodTemplateSpec` adds about 550 KB of schema to a CRD: apply such CRDs with',
  '`kubectl apply --server-side` (client-side apply stores the whole object in an annotation',
  'limited to 256 KB).',
  '',
];

const sections: readonly { readonly target: MarkerTarget; readonly title: string; readonly intro: string }[] =
  [
    {
      target: 'resource',
      title: 'Resource markers',
      intro: 'In the JSDoc of an exported interface in `src/apis/<group>/<version>/*.ts`.',
    },
    {
      target: 'field',
      title: 'Field markers',
      intro:
        "In the JSDoc of a property, or of a type alias or interface (then they apply wherever the type is used; a property's own markers win). Validation markers use ts-json-schema-generator's names.",
    },
    {
      target: 'controller',
      title: 'Controller markers',
      intro: 'In any JSDoc comment of a file under `src/controllers/`.',
    },
  ];

export function renderMarkersDoc(): string {
  const out: string[] = [
    '<!-- Generated from generator/src/markers/definitions.ts by @kubeforge/generator. DO NOT EDIT.',
    '     Regenerate: npm run update-golden -w @kubeforge/generator -->',
    '',
    '# Markers',
    '',
    'kubeforge reads your API from TypeScript interfaces. JSDoc tags on them ("markers") add what',
    'TypeScript cannot say: names, scope, subresources, validation. The JSDoc text itself becomes',
    'the `description` of the field. A marker with a bad argument, in the wrong place or given twice',
    'is a diagnostic with its file, line and column.',
    '',
    'Each marker starts its own line of the comment: JSDoc reads a tag only at the start of a line,',
    'so in `/** @minimum 0 @maximum 100 */` the `@maximum 100` would be part of the value of',
    '`@minimum`, and in `/** The body. @maxLength 100 */` part of the description. kubeforge reports',
    'both as errors. Write one tag per line:',
    '',
    '```ts',
    '/**',
    ' * The page body.',
    ' * @minLength 1',
    ' * @maxLength 100',
    ' */',
    '```',
    '',
    'Arguments: `<...>` is a value, `[...]` is optional, `a|b` is a choice. In `key=value` arguments,',
    'values with spaces are `"double quoted"` (JSON escapes) or `\'single quoted\'` (literal).',
    '',
    'Markers on an interface apply wherever it is used, and also to every interface that `extends` it',
    "and to intersections `A & B` that include it, as Go's inline embedding carries kubebuilder markers:",
    "bases apply first, the extending interface's own markers win, `@validation` rules accumulate. Two",
    'bases that set one marker to different values are an error (`conflicting-markers`). A property',
    "declared again in an extending interface keeps the field markers of the base's declaration.",
    '',
    '## Target Kubernetes version and CRD size',
    '',
    'The oldest Kubernetes version the CRDs must work on is `1.25` unless `kubeforge generate',
    '--kube-version 1.31` (or `manifests`) or `"generate": { "kubeVersion": "1.31" }` in',
    '`kubeforge.json` says otherwise; the flag wins. CEL rules (`@validation`, and the rules generated',
    'for discriminated unions) are enforced by Kubernetes >= 1.25: for an older target they are left',
    'out with a warning (older servers ignore them). `@selectableField` needs >= 1.30: for an older',
    'target it is an error.',
    '',
    'Descriptions make CRDs large (an embedded `PodTemplateSpec` can take a CRD past 256 KiB).',
    '`--max-description-length <n>` or `"maxDescriptionLength": n` in the same `generate` section caps',
    'every description (0 drops them); `@maxDescriptionLength` caps those below one field. `generate`',
    'notes each CRD from 80% of the 262144-byte limit of client-side `kubectl apply` (its',
    "last-applied-configuration annotation) and warns above it and above etcd's 1.5 MiB request limit.",
    '',
    '## Type mapping',
    '',
    '| TypeScript | CRD schema |',
    '| --- | --- |',
    ...typeMappings.map((m) => `| ${m.typescript} | ${m.schema} |`),
    '',
    ...builtinTypesSection,
  ];
  const all: readonly MarkerDefinition<unknown>[] = Object.values(markerDefinitions);
  for (const section of sections) {
    out.push(`## ${section.title}`, '', section.intro, '');
    for (const marker of all.filter((m) => m.target === section.target)) {
      const syntax = `@${marker.name}${marker.grammar.syntax ? ` ${marker.grammar.syntax}` : ''}`;
      out.push(`### \`@${marker.name}\``, '', `\`${syntax}\`${marker.repeatable ? ' (repeatable)' : ''}`, '');
      out.push(marker.summary, '');
      if (marker.details) out.push(marker.details, '');
      out.push('```ts', marker.example, '```', '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
