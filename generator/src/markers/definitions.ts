/**
 * Every marker kubeforge understands, defined once: name, where it applies, argument grammar,
 * help text and an example. Parsing, validation and docs/markers.md all derive from this
 * table, so the documentation cannot drift from the implementation. Validation marker names
 * follow ts-json-schema-generator's JSDoc tags.
 */
import {
  count,
  dnsLabel,
  flag,
  identifier,
  json,
  fieldPath,
  metadataEntry,
  number,
  oneOf,
  optionalBoolean,
  optionalText,
  positiveNumber,
  regex,
  text,
  type ArgumentGrammar,
} from './arguments.ts';
import {
  admissionWebhook,
  printColumn,
  rbac,
  rbacVerbs,
  subresource,
  validation,
  webhookTimeoutRange,
} from './grammars.ts';

/** `resource`: JSDoc of a `@resource` interface; `field`: a property, or a type alias/interface used as a field type; `controller`: comments in src/controllers/**. */
export type MarkerTarget = 'resource' | 'field' | 'controller';

export interface MarkerDefinition<T> {
  readonly name: string;
  readonly target: MarkerTarget;
  readonly repeatable: boolean;
  readonly grammar: ArgumentGrammar<T>;
  /** One sentence: what the marker does. */
  readonly summary: string;
  /** Rules, restrictions and the emitted schema keyword. */
  readonly details?: string;
  /** TypeScript source showing the marker in use. */
  readonly example: string;
}

export type { AdmissionWebhookMarker, ConversionMarker, RbacMarker, SubresourceMarker } from './grammars.ts';

function define<T>(definition: MarkerDefinition<T>): MarkerDefinition<T> {
  return definition;
}

const resourceHead = `/**\n * A scheduled backup of a database.\n *`;

export const markerDefinitions = {
  // --- resource markers ---------------------------------------------------------------------
  resource: define({
    name: 'resource',
    target: 'resource',
    repeatable: false,
    grammar: flag,
    summary: 'Marks an exported interface in `src/apis/<group>/<version>/` as a Kubernetes kind.',
    details:
      'The interface name is the kind; the folders give group and version. It must declare `metadata: ObjectMeta` and `spec`; `status` is optional; `apiVersion` and `kind` may be declared or omitted.',
    example: `${resourceHead} @resource\n */\nexport interface BackupSchedule {\n  metadata: ObjectMeta;\n  spec: BackupScheduleSpec;\n  status?: BackupScheduleStatus;\n}`,
  }),
  scope: define({
    name: 'scope',
    target: 'resource',
    repeatable: false,
    grammar: oneOf(['Namespaced', 'Cluster']),
    summary: 'Whether objects live in a namespace (default `Namespaced`) or are cluster-scoped.',
    example: `${resourceHead} @resource\n * @scope Cluster\n */`,
  }),
  plural: define({
    name: 'plural',
    target: 'resource',
    repeatable: false,
    grammar: dnsLabel,
    summary: 'The plural resource name used in URLs (default: the lowercase kind, pluralised).',
    example: `${resourceHead} @resource\n * @plural backupschedules\n */`,
  }),
  singular: define({
    name: 'singular',
    target: 'resource',
    repeatable: false,
    grammar: dnsLabel,
    summary: 'The singular name (default: the lowercase kind).',
    example: `${resourceHead} @resource\n * @singular backupschedule\n */`,
  }),
  shortName: define({
    name: 'shortName',
    target: 'resource',
    repeatable: true,
    grammar: dnsLabel,
    summary: 'A short name for kubectl (`kubectl get bs`); repeat for several.',
    example: `${resourceHead} @resource\n * @shortName bs\n * @shortName bsched\n */`,
  }),
  category: define({
    name: 'category',
    target: 'resource',
    repeatable: true,
    grammar: dnsLabel,
    summary: 'A category the kind belongs to (`kubectl get all` uses `all`); repeat for several.',
    example: `${resourceHead} @resource\n * @category all\n * @category backups\n */`,
  }),
  subresource: define({
    name: 'subresource',
    target: 'resource',
    repeatable: true,
    grammar: subresource,
    summary: 'Enables the status or scale subresource.',
    details:
      'With `status`, writes to the main resource ignore `status` and `/status` writes ignore everything else. `scale` needs the JSONPath of the desired replicas (under `.spec`), the observed replicas (under `.status`) and optionally a label selector string (for HPA).',
    example: `${resourceHead} @resource\n * @subresource status\n * @subresource scale specReplicasPath=.spec.replicas statusReplicasPath=.status.replicas labelSelectorPath=.status.selector\n */`,
  }),
  printColumn: define({
    name: 'printColumn',
    target: 'resource',
    repeatable: true,
    grammar: printColumn,
    summary: 'Adds a column to `kubectl get` output (additionalPrinterColumns); repeat for several.',
    details:
      'Values with spaces are quoted: `description="Last run"`; use single quotes for JSONPaths with double quotes: `jsonPath=\'.status.conditions[?(@.type=="Ready")].status\'`. Columns with priority > 0 show only with `-o wide`.',
    example: `${resourceHead} @resource\n * @printColumn name=Schedule type=string jsonPath=.spec.schedule\n * @printColumn name=Age type=date jsonPath=.metadata.creationTimestamp\n * @printColumn name=Ready type=string jsonPath='.status.conditions[?(@.type=="Ready")].status' priority=1\n */`,
  }),
  storageVersion: define({
    name: 'storageVersion',
    target: 'resource',
    repeatable: false,
    grammar: flag,
    summary: 'Marks the version objects are stored in; required when a kind has several versions.',
    details: 'Exactly one version of a kind is the storage version. A kind with a single version stores it.',
    example: `/**\n * @resource\n * @storageVersion\n */\nexport interface BackupSchedule { /* src/apis/backup.example.com/v1/ */ }`,
  }),
  served: define({
    name: 'served',
    target: 'resource',
    repeatable: false,
    grammar: optionalBoolean,
    summary: 'Whether the API server serves this version (default `true`); `@served false` hides it.',
    example: `/**\n * @resource\n * @served false\n */\nexport interface BackupSchedule { /* src/apis/backup.example.com/v1alpha1/ */ }`,
  }),
  deprecated: define({
    name: 'deprecated',
    target: 'resource',
    repeatable: false,
    grammar: optionalText,
    summary: 'Marks the version deprecated; the optional text is the warning clients see.',
    details: 'On fields `@deprecated` keeps its usual JSDoc meaning and is not a marker.',
    example: `/**\n * @resource\n * @deprecated backup.example.com/v1alpha1 BackupSchedule is deprecated; use v1\n */`,
  }),
  selectableField: define({
    name: 'selectableField',
    target: 'resource',
    repeatable: true,
    grammar: fieldPath,
    summary:
      'A field clients may filter lists and watches on with a field selector (`selectableFields`); repeat for several.',
    details:
      'The path names a string, integer or boolean field (enums and formats allowed), outside `.metadata` and without array notation; at most 8 per version. Served by Kubernetes >= 1.30 (alpha behind the CustomResourceFieldSelectors gate in 1.30, on by default from 1.31): generating for an older `kubeVersion` is an error. Then `kubectl get backupschedules --field-selector spec.schedule=daily` filters on the server, as do informers given `fieldSelector`.',
    example: `${resourceHead} @resource\n * @selectableField .spec.schedule\n * @selectableField .status.phase\n */`,
  }),
  crdLabel: define({
    name: 'crdLabel',
    target: 'resource',
    repeatable: true,
    grammar: metadataEntry('label'),
    summary:
      'A label on the CustomResourceDefinition object itself (not on its objects); repeat for several.',
    details:
      "kubebuilder's `+kubebuilder:metadata:labels`. Versions of a kind share one CRD: their labels are merged and must not disagree.",
    example: `${resourceHead} @resource\n * @crdLabel app.kubernetes.io/part-of=backup-operator\n */`,
  }),
  crdAnnotation: define({
    name: 'crdAnnotation',
    target: 'resource',
    repeatable: true,
    grammar: metadataEntry('annotation'),
    summary: 'An annotation on the CustomResourceDefinition object itself; repeat for several.',
    details:
      "kubebuilder's `+kubebuilder:metadata:annotations`, e.g. for cert-manager's CA injection into conversion webhooks. Values with spaces are quoted. Versions of a kind share one CRD: their annotations are merged and must not disagree.",
    example: `${resourceHead} @resource\n * @crdAnnotation cert-manager.io/inject-ca-from=backup-system/serving-cert\n * @crdAnnotation example.com/owner="Team Storage"\n */`,
  }),

  defaulting: define({
    name: 'defaulting',
    target: 'resource',
    repeatable: false,
    grammar: admissionWebhook('defaulting'),
    summary:
      "Calls the operator's defaulting webhook for this version on create and update (a MutatingWebhookConfiguration entry).",
    details: `The handler is registered with \`manager.addWebhook(defaulting(<plural>, fn))\` (\`kubeforge create webhook --defaulting\` scaffolds it) and served at \`/mutate-<group with - for .>-<version>-<kind lowercase>\`. Written to \`config/webhook/manifests.yaml\` with \`admissionReviewVersions: [v1]\`; defaults: \`verbs=create;update failurePolicy=Fail sideEffects=None timeoutSeconds=10\` (${webhookTimeoutRange.min}–${webhookTimeoutRange.max} seconds). With \`matchPolicy: Equivalent\` writes at the kind's other versions are converted to this one and reach the webhook too.`,
    example: `/**\n * @resource\n * @defaulting\n * @validating verbs=create;update;delete failurePolicy=Fail timeoutSeconds=5\n */\nexport interface BackupSchedule { /* src/apis/backup.example.com/v1/ */ }`,
  }),
  validating: define({
    name: 'validating',
    target: 'resource',
    repeatable: false,
    grammar: admissionWebhook('validating'),
    summary:
      "Calls the operator's validating webhook for this version (a ValidatingWebhookConfiguration entry).",
    details:
      "The handler is registered with `manager.addWebhook(validating(<plural>, { create, update, delete }))` (`kubeforge create webhook --validation` scaffolds it) and served at `/validate-<group with - for .>-<version>-<kind lowercase>`. `verbs` lists the operations it sees (default `create;update`; add `delete` for the validator's `delete`). `failurePolicy=Ignore` lets writes through while the webhook cannot answer.",
    example: `/**\n * @resource\n * @validating verbs=create;update failurePolicy=Ignore\n */\nexport interface BackupSchedule { /* src/apis/backup.example.com/v1/ */ }`,
  }),
  conversion: define({
    name: 'conversion',
    target: 'resource',
    repeatable: false,
    grammar: oneOf(['hub', 'none']),
    summary:
      "How the API server converts between the versions of a kind: through the operator's conversion webhook (`hub`, on the hub version) or, on purpose, by changing only `apiVersion` (`none`).",
    details:
      "Put it on one version of the kind. `hub` sets the CRD's `spec.conversion` to `strategy: Webhook` with the webhook Service's `/convert` path and `conversionReviewVersions: [v1]`; the handler, `manager.addWebhook(conversion({ group, kind, hub, spokes }))`, converts every other version to and from the hub (`kubeforge create webhook --conversion` scaffolds it). Versions whose schemas differ without `@conversion` are an error: without conversion, writes through one version silently drop the fields only another has. `none` states that the API server's default `None` strategy is wanted anyway (e.g. a version that only adds optional fields older clients may lose).",
    example: `/**\n * @resource\n * @storageVersion\n * @conversion hub\n */\nexport interface BackupSchedule { /* src/apis/backup.example.com/v2/ */ }`,
  }),

  // --- field markers ------------------------------------------------------------------------
  minimum: define({
    name: 'minimum',
    target: 'field',
    repeatable: false,
    grammar: number,
    summary: 'The smallest allowed value of a number.',
    example: `/** @minimum 1 */\nport: int32;`,
  }),
  maximum: define({
    name: 'maximum',
    target: 'field',
    repeatable: false,
    grammar: number,
    summary: 'The largest allowed value of a number.',
    example: `/** @maximum 65535 */\nport: int32;`,
  }),
  exclusiveMinimum: define({
    name: 'exclusiveMinimum',
    target: 'field',
    repeatable: false,
    grammar: number,
    summary: 'Values must be greater than this number.',
    details:
      'Emitted as `minimum: n` with `exclusiveMinimum: true` (OpenAPI v3.0); cannot be combined with `@minimum`.',
    example: `/** @exclusiveMinimum 0 */\nratio: number;`,
  }),
  exclusiveMaximum: define({
    name: 'exclusiveMaximum',
    target: 'field',
    repeatable: false,
    grammar: number,
    summary: 'Values must be less than this number.',
    details: 'Emitted as `maximum: n` with `exclusiveMaximum: true`; cannot be combined with `@maximum`.',
    example: `/** @exclusiveMaximum 1 */\nratio: number;`,
  }),
  multipleOf: define({
    name: 'multipleOf',
    target: 'field',
    repeatable: false,
    grammar: positiveNumber,
    summary: 'Values must be a multiple of this number.',
    example: `/** @multipleOf 5 */\nintervalMinutes: int32;`,
  }),
  minLength: define({
    name: 'minLength',
    target: 'field',
    repeatable: false,
    grammar: count,
    summary: 'The shortest allowed string.',
    example: `/** @minLength 1 */\nname: string;`,
  }),
  maxLength: define({
    name: 'maxLength',
    target: 'field',
    repeatable: false,
    grammar: count,
    summary: 'The longest allowed string.',
    example: `/** @maxLength 63 */\nname: string;`,
  }),
  pattern: define({
    name: 'pattern',
    target: 'field',
    repeatable: false,
    grammar: regex,
    summary: 'A regular expression strings must match (RE2 syntax: no lookaround, no backreferences).',
    example: `/** @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ */\nbucket: string;`,
  }),
  format: define({
    name: 'format',
    target: 'field',
    repeatable: false,
    grammar: text,
    summary:
      'A format strings (or numbers) must have, e.g. `date-time`, `email`, `uri`, `uuid`, `hostname`, `ipv4`, `cidr`, `int32`.',
    details:
      '`@format int32` or `@format int64` on a `number` makes it an integer. Formats the API server does not know are accepted by it but not checked (a warning).',
    example: `/** @format email */\nnotify: string;\n\n/** @format int64 */\nbytes: number;`,
  }),
  minItems: define({
    name: 'minItems',
    target: 'field',
    repeatable: false,
    grammar: count,
    summary: 'The fewest items an array may have.',
    example: `/** @minItems 1 */\ntargets: Target[];`,
  }),
  maxItems: define({
    name: 'maxItems',
    target: 'field',
    repeatable: false,
    grammar: count,
    summary: 'The most items an array may have.',
    example: `/** @maxItems 10 */\ntargets: Target[];`,
  }),
  uniqueItems: define({
    name: 'uniqueItems',
    target: 'field',
    repeatable: false,
    grammar: flag,
    summary: 'Array items must be unique.',
    details:
      'CRD schemas forbid `uniqueItems: true`; for arrays of scalars kubeforge emits `x-kubernetes-list-type: set`, which the API server enforces. For arrays of objects use `@listType map` with `@listMapKey`.',
    example: `/** @uniqueItems */\ntags: string[];`,
  }),
  minProperties: define({
    name: 'minProperties',
    target: 'field',
    repeatable: false,
    grammar: count,
    summary: 'The fewest properties an object or map may have.',
    example: `/** @minProperties 1 */\nlabels: Record<string, string>;`,
  }),
  maxProperties: define({
    name: 'maxProperties',
    target: 'field',
    repeatable: false,
    grammar: count,
    summary: 'The most properties an object or map may have.',
    example: `/** @maxProperties 20 */\nlabels: Record<string, string>;`,
  }),
  default: define({
    name: 'default',
    target: 'field',
    repeatable: false,
    grammar: json,
    summary: 'A JSON value the API server fills in when the field is missing.',
    details:
      'Strings may be written bare (`@default daily`) or quoted (`@default "a b"`). A defaulted field is usually optional (`?`). The value is checked against the field type.',
    example: `/** @default 3 */\nretries?: int32;\n\n/** @default {"enabled": true} */\nmetrics?: Metrics;`,
  }),
  nullable: define({
    name: 'nullable',
    target: 'field',
    repeatable: false,
    grammar: flag,
    summary: 'Allows `null` as a value (same as writing `T | null`).',
    example: `/** @nullable */\nsuspendedAt?: Time;`,
  }),
  listType: define({
    name: 'listType',
    target: 'field',
    repeatable: false,
    grammar: oneOf(['atomic', 'set', 'map']),
    summary:
      'How server-side apply merges an array: replace it whole (`atomic`), as a set of scalars, or as a map keyed by `@listMapKey`.',
    details:
      '`set` needs scalar items; `map` needs object items and at least one `@listMapKey` naming required (or defaulted) fields.',
    example: `/**\n * @listType map\n * @listMapKey name\n */\ntargets: Target[];`,
  }),
  listMapKey: define({
    name: 'listMapKey',
    target: 'field',
    repeatable: true,
    grammar: identifier,
    summary: 'A key field of a `@listType map` array; repeat for composite keys.',
    example: `/**\n * @listType map\n * @listMapKey name\n * @listMapKey protocol\n */\nports: Port[];`,
  }),
  mapType: define({
    name: 'mapType',
    target: 'field',
    repeatable: false,
    grammar: oneOf(['atomic', 'granular']),
    summary:
      'How server-side apply merges a map (`Record<string, T>`): whole (`atomic`) or per key (`granular`, the default).',
    example: `/** @mapType atomic */\nselector: Record<string, string>;`,
  }),
  structType: define({
    name: 'structType',
    target: 'field',
    repeatable: false,
    grammar: oneOf(['atomic', 'granular']),
    summary:
      'How server-side apply merges an object with fixed properties: whole (`atomic`) or per field (`granular`, the default).',
    example: `/** @structType atomic */\nexport interface Endpoint {\n  host: string;\n  port: int32;\n}`,
  }),
  preserveUnknownFields: define({
    name: 'preserveUnknownFields',
    target: 'field',
    repeatable: false,
    grammar: flag,
    summary:
      'Keeps fields the schema does not declare instead of pruning them; required for `unknown`/`any` values.',
    example: `/** @preserveUnknownFields */\nconfig?: Record<string, unknown>;`,
  }),
  embeddedResource: define({
    name: 'embeddedResource',
    target: 'field',
    repeatable: false,
    grammar: flag,
    summary: 'The value is a whole Kubernetes object (apiVersion, kind, metadata), validated as such.',
    details:
      'Use with `KubeObject` or an interface with `apiVersion`, `kind` and `metadata`; with `unknown` it also preserves unknown fields.',
    example: `/** @embeddedResource */\ntemplate: KubeObject;`,
  }),
  maxDescriptionLength: define({
    name: 'maxDescriptionLength',
    target: 'field',
    repeatable: false,
    grammar: count,
    summary: 'Caps the descriptions of everything below this field at this many characters; `0` drops them.',
    details:
      "The field's own description stays. For large embedded types (a `PodTemplateSpec`, a `JobTemplateSpec`) that make a CRD too large for client-side `kubectl apply` (controller-tools #561, kubebuilder #1140). On a type, it applies wherever the type is used. `--max-description-length` caps every description of the CRD; the smaller cap wins.",
    example: `/**\n * The pods to run.\n * @maxDescriptionLength 0\n */\ntemplate: PodTemplateSpec;`,
  }),
  intOrString: define({
    name: 'intOrString',
    target: 'field',
    repeatable: false,
    grammar: flag,
    summary: 'Maps `number | string` to `x-kubernetes-int-or-string` (what the `IntOrString` type does).',
    example: `/** @intOrString */\nmaxUnavailable: number | string;`,
  }),
  validation: define({
    name: 'validation',
    target: 'field',
    repeatable: true,
    grammar: validation,
    summary:
      'A CEL rule the value must satisfy (`x-kubernetes-validations`); `self` is the field, `oldSelf` its old value on updates. Repeatable.',
    details: [
      'Checked when generating as the API server checks it on install, for the target `kubeVersion`: the rule must type-check against the schema at the field (names with `-`, `.`, `/` are escaped as `__dash__`, `__dot__`, `__slash__`) and evaluate to a bool; each problem is an error at the marker with the column of the CEL error. Enforced by API servers >= 1.25; for an older `kubeVersion` rules are left out with a warning. On a `@resource` interface, `self` is the whole object (of `metadata` only `name` and `generateName`).',
      '',
      "Fields: `message` (fixed message); `messageExpression` (a CEL expression returning a string, Kubernetes >= 1.27); `reason` (`FieldValueInvalid`, the default, `FieldValueForbidden`, `FieldValueRequired`, `FieldValueDuplicate`; >= 1.28); `fieldPath` (the field to report, relative to this one, e.g. `.replicas` or `.labels['app']`, no list indexes; >= 1.28); `optionalOldSelf=true` (a transition rule also runs on create, `oldSelf` being an optional; >= 1.30, only when the rule uses `oldSelf`).",
      '',
      'Transition rules (using `oldSelf`) run on updates only, and only where the old value can be matched: not below the items of a list unless it is `@listType map`.',
      '',
      'Libraries by version: lists, strings, regex, url from 1.25; quantity and optional types (`self.?field`) from 1.29; sets from 1.30; ip/cidr from 1.31; named formats (`format.dns1123Label()`) from 1.32. A rule that needs a newer version than the target is an error naming the version.',
      '',
      "Cost limits: the API server estimates each rule's cost from the schema, taking list, map and string sizes from `@maxItems`, `@maxProperties` and `@maxLength` (unbounded ones are sized from its 3 MiB request limit), and multiplies it by the number of times the rule can run (the sizes of the lists and maps above it). One rule (and one messageExpression) may cost at most 10,000,000, all rules of a CRD version together 100,000,000; above that the CRD is refused, and generating reports the rule with the bounds that would fix it (e.g. add @maxItems to spec.rules). The estimate follows the server's cost factors; rules very close to a limit may be judged differently. Test rules without a server with `validateCustomResource` from `@kubeforge/testing/cel` (see docs/testing.md).",
    ].join('\n'),
    example: `/**\n * @validation rule="self.minReplicas <= self.maxReplicas" message="minReplicas must not exceed maxReplicas"\n * @validation rule="self.maxReplicas <= 100" messageExpression="'maxReplicas is ' + string(self.maxReplicas) + ', more than 100'" reason=FieldValueForbidden fieldPath=.maxReplicas\n */\nexport interface Autoscaling {\n  minReplicas: int32;\n  maxReplicas: int32;\n}`,
  }),

  // --- controller markers -------------------------------------------------------------------
  rbac: define({
    name: 'rbac',
    target: 'controller',
    repeatable: true,
    grammar: rbac,
    summary:
      'A permission the operator needs, collected from comments in `src/controllers/**` into `config/rbac/role.yaml`.',
    details: `Lists are separated by \`;\`. The core group is \`groups=core\` (or \`groups=""\`). Verbs: ${rbacVerbs.join(', ')} or \`*\`. Rules are merged and sorted; the role always includes what the manager needs (its own kinds with /status and /finalizers, Leases for leader election, Events). \`namespace=<ns>\` grants the rule in that namespace only, through a Role \`manager-role\` in it (kubebuilder's \`namespace=\`); when every \`@rbac\` tag names a namespace the operator is namespace-restricted: the manager's own rules go into each of those Roles and no ClusterRole is generated (cluster-scoped kinds excepted). Each Role gets a RoleBinding to the operator's ServiceAccount.`,
    example: `/**\n * @rbac groups=apps resources=deployments verbs=get;list;watch;create;update;patch;delete\n * @rbac groups=core resources=secrets verbs=get\n */\nexport class BackupScheduleReconciler {}`,
  }),
} as const;

export type MarkerDefinitions = typeof markerDefinitions;
export type MarkerName = keyof MarkerDefinitions;
export type MarkerValue<N extends MarkerName> =
  MarkerDefinitions[N] extends MarkerDefinition<infer T> ? T : never;

export function isMarkerName(name: string): name is MarkerName {
  return Object.hasOwn(markerDefinitions, name);
}
