/**
 * A table of validation rules from the Kubernetes documentation ("Validation rules" in
 * "Extend the Kubernetes API with CustomResourceDefinitions") and from real projects' CRDs
 * (Gateway API, Karpenter, Cluster API, cert-manager-style APIs), each with what the API
 * server does with it: refuse the CRD (with the message it gives), or accept it and then
 * accept or refuse objects. check-rules.test.ts runs the table through the checker and the
 * evaluator; rules-server.test.ts runs it on a real API server (>= 1.25) to keep them honest.
 */
import type { StructuralSchema } from './structural-schema.ts';

export interface ObjectCase {
  readonly spec: unknown;
  /** For updates: the stored spec. */
  readonly oldSpec?: unknown;
  /** The messages of the violations; empty when the object is accepted. */
  readonly violations: readonly string[];
}

export type RuleCase = {
  readonly name: string;
  readonly source: string;
  /** The `spec` schema; the CRD's root is `{ type: object, properties: { spec } }`. */
  readonly spec: StructuralSchema;
  /** Target version for the checker; the server is whatever runs. Default 1.34. */
  readonly kubeVersion?: string;
  /** The oldest server the case holds on (libraries and fields it uses); default 1.25. */
  readonly serverSince?: string;
} & (
  | { readonly accepted: true; readonly objects?: readonly ObjectCase[] }
  | {
      readonly accepted: false;
      /** What the checker says (a substring of one of its messages). */
      readonly problem: string;
      /** What the API server says (a substring of its refusal); omitted for version cases. */
      readonly server?: string;
    }
);

const str = (extra: Partial<StructuralSchema> = {}): StructuralSchema => ({ type: 'string', ...extra });
const int = (extra: Partial<StructuralSchema> = {}): StructuralSchema => ({ type: 'integer', ...extra });
const obj = (
  properties: Record<string, StructuralSchema>,
  rules: StructuralSchema['x-kubernetes-validations'] = [],
  extra: Partial<StructuralSchema> = {},
): StructuralSchema => ({
  type: 'object',
  properties,
  ...(rules.length > 0 ? { 'x-kubernetes-validations': rules } : {}),
  ...extra,
});

const docs = 'kubernetes.io: Validation rules';

export const ruleCases: readonly RuleCase[] = [
  // --- accepted, from the documentation ---------------------------------------------------
  {
    name: 'replicas between min and max',
    source: docs,
    spec: obj({ minReplicas: int(), replicas: int(), maxReplicas: int() }, [
      {
        rule: 'self.minReplicas <= self.replicas && self.replicas <= self.maxReplicas',
        message: 'replicas should be in the range minReplicas..maxReplicas.',
      },
    ]),
    accepted: true,
    objects: [
      { spec: { minReplicas: 1, replicas: 2, maxReplicas: 3 }, violations: [] },
      {
        spec: { minReplicas: 1, replicas: 5, maxReplicas: 3 },
        violations: ['replicas should be in the range minReplicas..maxReplicas.'],
      },
    ],
  },
  {
    name: 'a map keyed by the items of a set list',
    source: docs,
    spec: obj(
      {
        names: {
          type: 'array',
          items: str({ maxLength: 20 }),
          maxItems: 10,
          'x-kubernetes-list-type': 'set',
        },
        details: { type: 'object', additionalProperties: str({ maxLength: 20 }), maxProperties: 10 },
      },
      [{ rule: 'self.names.size() == self.details.size() && self.names.all(n, n in self.details)' }],
    ),
    accepted: true,
    objects: [
      { spec: { names: ['a'], details: { a: 'x' } }, violations: [] },
      {
        spec: { names: ['a'], details: { b: 'x' } },
        violations: [
          'failed rule: self.names.size() == self.details.size() && self.names.all(n, n in self.details)',
        ],
      },
    ],
  },
  {
    name: 'timestamps and durations from string formats',
    source: docs,
    spec: obj(
      {
        created: str({ format: 'date-time' }),
        ttl: str({ format: 'duration' }),
        expired: str({ format: 'date-time' }),
      },
      [
        {
          rule: '!has(self.expired) || self.created + self.ttl < self.expired',
          message: 'ttl must expire before expired',
        },
      ],
    ),
    accepted: true,
    objects: [
      {
        spec: { created: '2024-01-01T00:00:00Z', ttl: '1h', expired: '2024-01-01T02:00:00Z' },
        violations: [],
      },
      {
        spec: { created: '2024-01-01T00:00:00Z', ttl: '1h', expired: '2024-01-01T00:30:00Z' },
        violations: ['ttl must expire before expired'],
      },
    ],
  },
  {
    name: 'int-or-string, checked with type()',
    source: docs,
    spec: obj(
      {
        v: {
          'x-kubernetes-int-or-string': true,
          anyOf: [{ type: 'integer' }, { type: 'string' }],
        } as StructuralSchema,
      },
      [{ rule: "type(self.v) == string ? self.v == '100%' : self.v == 1000" }],
    ),
    accepted: true,
    objects: [
      { spec: { v: 1000 }, violations: [] },
      { spec: { v: '100%' }, violations: [] },
      {
        spec: { v: '50%' },
        violations: ["failed rule: type(self.v) == string ? self.v == '100%' : self.v == 1000"],
      },
    ],
  },
  {
    name: 'an immutable field (transition rule)',
    source: docs,
    spec: obj({
      name: str({
        maxLength: 64,
        'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Value is immutable' }],
      }),
    }),
    accepted: true,
    objects: [
      { spec: { name: 'a' }, violations: [] },
      { spec: { name: 'b' }, oldSpec: { name: 'a' }, violations: ['Value is immutable'] },
      { spec: { name: 'a' }, oldSpec: { name: 'a' }, violations: [] },
    ],
  },
  {
    name: 'messageExpression, reason and fieldPath',
    serverSince: '1.28',
    source: docs,
    spec: obj({ x: int(), maxLimit: int() }, [
      {
        rule: 'self.x <= self.maxLimit',
        messageExpression: "self.x > 100 ? 'x is far too large' : 'x exceeded the max limit'",
        reason: 'FieldValueForbidden',
        fieldPath: '.x',
      },
    ]),
    accepted: true,
    objects: [
      { spec: { x: 1, maxLimit: 3 }, violations: [] },
      { spec: { x: 5, maxLimit: 3 }, violations: ['x exceeded the max limit'] },
    ],
  },
  {
    name: 'optionalOldSelf: a value that may only grow, also on create',
    serverSince: '1.30',
    source: docs,
    spec: obj({
      size: int({
        'x-kubernetes-validations': [
          {
            rule: '!oldSelf.hasValue() || self >= oldSelf.value()',
            optionalOldSelf: true,
            message: 'size may only grow',
          },
        ],
      }),
    }),
    accepted: true,
    objects: [
      { spec: { size: 2 }, violations: [] },
      { spec: { size: 1 }, oldSpec: { size: 2 }, violations: ['size may only grow'] },
    ],
  },
  {
    name: 'a transition rule on the items of a listType=map list',
    source: 'Gateway API (listeners keyed by name)',
    spec: obj({
      listeners: {
        type: 'array',
        maxItems: 64,
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: obj(
          { name: str({ maxLength: 253 }), port: int() },
          [{ rule: 'self.port == oldSelf.port', message: 'port is immutable' }],
          { required: ['name'] },
        ),
      },
    }),
    accepted: true,
    objects: [
      {
        spec: { listeners: [{ name: 'a', port: 80 }] },
        oldSpec: {
          listeners: [
            { name: 'a', port: 80 },
            { name: 'b', port: 1 },
          ],
        },
        violations: [],
      },
      {
        spec: { listeners: [{ name: 'a', port: 81 }] },
        oldSpec: { listeners: [{ name: 'a', port: 80 }] },
        violations: ['port is immutable'],
      },
    ],
  },
  // --- accepted, from real projects' CRDs ---------------------------------------------------
  {
    name: 'unique names in a bounded list',
    source: 'Gateway API Gateway.spec.listeners',
    spec: obj({
      listeners: {
        type: 'array',
        maxItems: 64,
        items: obj({ name: str({ maxLength: 253 }) }),
        'x-kubernetes-validations': [
          {
            rule: 'self.all(l1, self.exists_one(l2, l1.name == l2.name))',
            message: 'Listener name must be unique within the Gateway',
          },
        ],
      },
    }),
    accepted: true,
    objects: [
      { spec: { listeners: [{ name: 'a' }, { name: 'b' }] }, violations: [] },
      {
        spec: { listeners: [{ name: 'a' }, { name: 'a' }] },
        violations: ['Listener name must be unique within the Gateway'],
      },
    ],
  },
  {
    name: 'a path that must start with a slash',
    source: 'Gateway API HTTPPathMatch',
    spec: obj({ value: str({ maxLength: 1024 }) }, [
      {
        rule: "self.value.startsWith('/')",
        message: "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
      },
    ]),
    accepted: true,
    objects: [
      {
        spec: { value: 'x' },
        violations: [
          "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
        ],
      },
    ],
  },
  {
    name: 'requirements that must not name a restricted label',
    source: 'Karpenter NodePool.spec.template.spec.requirements',
    spec: obj({
      requirements: {
        type: 'array',
        maxItems: 100,
        items: obj({
          key: str({ maxLength: 316 }),
          operator: str({ enum: ['In', 'NotIn', 'Exists'] }),
          values: { type: 'array', maxItems: 50, items: str({ maxLength: 63 }) },
        }),
        'x-kubernetes-validations': [
          {
            rule: "self.all(x, x.key != 'kubernetes.io/hostname')",
            message: 'label "kubernetes.io/hostname" is restricted',
          },
          {
            rule: "self.all(x, x.operator == 'In' ? has(x.values) && size(x.values) != 0 : true)",
            message: "requirements with operator 'In' must have a value defined",
          },
        ],
      },
    }),
    accepted: true,
    objects: [
      { spec: { requirements: [{ key: 'zone', operator: 'In', values: ['a'] }] }, violations: [] },
      {
        spec: { requirements: [{ key: 'kubernetes.io/hostname', operator: 'In' }] },
        violations: [
          'label "kubernetes.io/hostname" is restricted',
          "requirements with operator 'In' must have a value defined",
        ],
      },
    ],
  },
  {
    name: 'an optional field and has()',
    source: 'Cluster API MachineHealthCheck (maxUnhealthy or unhealthyRange, not both)',
    spec: obj({ maxUnhealthy: str({ maxLength: 10 }), unhealthyRange: str({ maxLength: 20 }) }, [
      {
        rule: '!(has(self.maxUnhealthy) && has(self.unhealthyRange))',
        message: 'maxUnhealthy and unhealthyRange are mutually exclusive',
      },
    ]),
    accepted: true,
    objects: [
      { spec: { maxUnhealthy: '40%' }, violations: [] },
      {
        spec: { maxUnhealthy: '40%', unhealthyRange: '[1-3]' },
        violations: ['maxUnhealthy and unhealthyRange are mutually exclusive'],
      },
    ],
  },
  {
    name: 'a quantity compared with the quantity library',
    serverSince: '1.29',
    source: 'resource requests in operator CRDs (quantity library, 1.29+)',
    spec: obj({ memory: str({ maxLength: 32 }) }, [
      {
        rule: "isQuantity(self.memory) && quantity(self.memory).compareTo(quantity('64Mi')) >= 0",
        message: 'memory must be at least 64Mi',
      },
    ]),
    accepted: true,
    objects: [
      { spec: { memory: '1Gi' }, violations: [] },
      { spec: { memory: '1Mi' }, violations: ['memory must be at least 64Mi'] },
    ],
  },
  {
    name: 'escaped property names',
    source: docs,
    spec: obj({ 'x-prop': int(), redact__d: int() }, [
      { rule: 'self.x__dash__prop > 0 && self.redact__underscores__d > 0' },
    ]),
    accepted: true,
    objects: [
      {
        spec: { 'x-prop': 1, redact__d: 0 },
        violations: ['failed rule: self.x__dash__prop > 0 && self.redact__underscores__d > 0'],
      },
    ],
  },
  {
    name: 'a CIDR checked with the cidr library',
    serverSince: '1.31',
    source: 'network operators (IP/CIDR libraries, 1.31+)',
    spec: obj({ cidr: str({ maxLength: 64 }) }, [
      {
        rule: "isCIDR(self.cidr) && cidr(self.cidr).containsIP('10.0.0.1')",
        message: 'cidr must contain 10.0.0.1',
      },
    ]),
    accepted: true,
    objects: [
      { spec: { cidr: '10.0.0.0/8' }, violations: [] },
      { spec: { cidr: '192.168.0.0/16' }, violations: ['cidr must contain 10.0.0.1'] },
    ],
  },
  // --- refused -------------------------------------------------------------------------------
  {
    name: 'an undefined field',
    source: 'issue #18',
    spec: obj({ name: str(), replicas: int() }, [
      { rule: "self.doesNotExist > 3 && size(self.name) == 'abc'" },
    ]),
    accepted: false,
    problem: "undefined field 'doesNotExist'",
    server: "undefined field 'doesNotExist'",
  },
  {
    name: 'an int compared with a string',
    source: 'issue #18',
    spec: obj({ name: str() }, [{ rule: "size(self.name) == 'abc'" }]),
    accepted: false,
    problem: "found no matching overload for '_==_' applied to '(int, string)'",
    server: "found no matching overload for '_==_' applied to '(int, string)'",
  },
  {
    name: 'an int added to a double',
    source: docs,
    spec: obj({ x: int() }, [{ rule: 'self.x + 1.0 > 2' }]),
    accepted: false,
    problem: "found no matching overload for '_+_' applied to '(int, double)'",
    server: "found no matching overload for '_+_' applied to '(int, double)'",
  },
  {
    name: 'a string compared with null',
    source: 'nullable fields',
    spec: obj({ name: str({ nullable: true }) }, [{ rule: "self.name == null || self.name != ''" }]),
    accepted: false,
    problem: "found no matching overload for '_==_' applied to '(string, null",
    server: "found no matching overload for '_==_' applied to '(string, null)'",
  },
  {
    name: 'a rule that is not a bool',
    source: docs,
    spec: obj({ replicas: int() }, [{ rule: 'self.replicas' }]),
    accepted: false,
    problem: 'cel expression must evaluate to a bool',
    server: 'cel expression must evaluate to a bool',
  },
  {
    name: 'a syntax error',
    source: docs,
    spec: obj({ x: int() }, [{ rule: 'self.x >' }]),
    accepted: false,
    problem: '',
    server: 'Syntax error',
  },
  {
    name: 'a messageExpression that is not a string',
    serverSince: '1.27',
    source: docs,
    spec: obj({ replicas: int() }, [{ rule: 'self.replicas > 1', messageExpression: 'self.replicas' }]),
    accepted: false,
    problem: 'messageExpression must evaluate to a string',
    server: 'messageExpression must evaluate to a string',
  },
  {
    name: 'a messageExpression reading an undefined field',
    serverSince: '1.27',
    source: docs,
    spec: obj({ x: int() }, [{ rule: 'self.x > 1', messageExpression: "'bad: ' + self.y" }]),
    accepted: false,
    problem: "undefined field 'y'",
    server: "undefined field 'y'",
  },
  {
    name: 'a messageExpression converting an int to a string (unbounded cost)',
    serverSince: '1.27',
    source: docs,
    spec: obj({ x: int(), max: int() }, [
      { rule: 'self.x <= self.max', messageExpression: "'x exceeded max limit of ' + string(self.max)" },
    ]),
    accepted: false,
    problem: 'estimated messageExpression cost exceeds budget by factor of more than 100x',
    server: 'estimated messageExpression cost exceeds budget by factor of more than 100x',
  },
  {
    name: 'an unknown reason',
    serverSince: '1.28',
    source: docs,
    spec: obj({ replicas: int() }, [{ rule: 'self.replicas > 1', reason: 'Bad' }]),
    accepted: false,
    problem: 'Unsupported value: "Bad"',
    server: 'Unsupported value: "Bad"',
  },
  {
    name: 'a fieldPath to a field that does not exist',
    serverSince: '1.28',
    source: docs,
    spec: obj({ replicas: int() }, [{ rule: 'self.replicas > 1', fieldPath: '.nope' }]),
    accepted: false,
    problem: 'must be a valid path',
    server: 'must be a valid path',
  },
  {
    name: 'a fieldPath with a list index',
    serverSince: '1.28',
    source: docs,
    spec: obj({ l: { type: 'array', maxItems: 3, items: str({ maxLength: 3 }) } }, [
      { rule: 'true', fieldPath: '.l[0]' },
    ]),
    accepted: false,
    problem: 'must be a valid path',
    server: 'must be a valid path',
  },
  {
    name: 'a transition rule below an atomic list',
    source: docs,
    spec: obj({
      l: {
        type: 'array',
        maxItems: 10,
        items: obj({ a: str({ maxLength: 10 }) }, [{ rule: 'self.a == oldSelf.a' }]),
      },
    }),
    accepted: false,
    problem: 'oldSelf cannot be used on the uncorrelatable portion of the schema within spec.l',
    server: 'oldSelf cannot be used on the uncorrelatable portion of the schema',
  },
  {
    name: 'optionalOldSelf without oldSelf',
    serverSince: '1.30',
    source: docs,
    spec: obj({ a: str() }, [{ rule: "self.a != ''", optionalOldSelf: true }]),
    accepted: false,
    problem: 'optionalOldSelf may not be set if oldSelf is not used in rule',
    server: 'may not be set if oldSelf is not used in rule',
  },
  {
    name: 'an empty message',
    source: docs,
    spec: obj({ x: int() }, [{ rule: 'self.x > 1', message: '  ' }]),
    accepted: false,
    problem: 'message must be non-empty if specified',
    server: 'must be non-empty if specified',
  },
  {
    name: 'an unbounded list of unbounded strings',
    source: 'kubernetes.io: Resource use by validation functions',
    spec: obj({
      l: {
        type: 'array',
        items: str(),
        'x-kubernetes-validations': [{ rule: "self.all(x, x.contains('a string'))" }],
      },
    }),
    accepted: false,
    problem: 'estimated rule cost exceeds budget by factor of more than 100x',
    server: 'estimated rule cost exceeds budget by factor of more than 100x',
  },
  {
    name: 'a rule on the items of a bounded list, over the per-rule limit',
    source: 'kubernetes.io: Resource use by validation functions',
    spec: obj({
      l: {
        type: 'array',
        maxItems: 1000,
        items: obj({ a: str({ maxLength: 50000 }) }, [{ rule: "self.a.contains('x')" }]),
      },
    }),
    accepted: false,
    problem: 'estimated rule cost exceeds budget by factor of 2.0x',
    server: 'estimated rule cost exceeds budget by factor of 2.0x',
  },
  {
    name: 'rules that together exceed the per-CRD limit',
    source: 'kubernetes.io: Resource use by validation functions',
    spec: obj({
      l: {
        type: 'array',
        maxItems: 1000,
        items: obj(
          { a: str({ maxLength: 12000 }) },
          Array.from({ length: 25 }, (_, i) => ({ rule: `self.a.contains('x${i}')` })),
        ),
      },
    }),
    accepted: false,
    problem: 'the estimated cost of all rules of the CRD exceeds budget by factor of 1.2x',
    server: 'estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of 1.2',
  },
  // --- the target version decides (checker only) --------------------------------------------
  {
    name: 'the quantity library before 1.29',
    source: 'Kubernetes CEL libraries by version',
    kubeVersion: '1.28',
    spec: obj({ memory: str({ maxLength: 32 }) }, [{ rule: 'quantity(self.memory).isInteger()' }]),
    accepted: false,
    problem: 'needs Kubernetes >= 1.29, but the target is 1.28',
  },
  {
    name: 'sets before 1.30',
    source: 'Kubernetes CEL libraries by version',
    kubeVersion: '1.29',
    spec: obj({ l: { type: 'array', maxItems: 3, items: int() } }, [{ rule: 'sets.contains(self.l, [1])' }]),
    accepted: false,
    problem: 'needs Kubernetes >= 1.30, but the target is 1.29',
  },
  {
    name: 'the CIDR library before 1.31',
    source: 'Kubernetes CEL libraries by version',
    kubeVersion: '1.30',
    spec: obj({ c: str({ maxLength: 64 }) }, [{ rule: 'isCIDR(self.c)' }]),
    accepted: false,
    problem: 'needs Kubernetes >= 1.31, but the target is 1.30',
  },
  {
    name: 'named formats before 1.32',
    source: 'Kubernetes CEL libraries by version',
    kubeVersion: '1.31',
    spec: obj({ n: str({ maxLength: 63 }) }, [
      { rule: '!format.dns1123Label().validate(self.n).hasValue()' },
    ]),
    accepted: false,
    problem: 'needs Kubernetes >= 1.32, but the target is 1.31',
  },
  {
    name: 'optional field selection before 1.29',
    source: 'Kubernetes CEL libraries by version',
    kubeVersion: '1.28',
    spec: obj({ n: str({ maxLength: 63 }) }, [{ rule: "self.?n.orValue('') != 'x'" }]),
    accepted: false,
    problem: 'needs Kubernetes >= 1.29',
  },
  {
    name: 'messageExpression before 1.27',
    source: 'CustomResourceDefinition API by version',
    kubeVersion: '1.26',
    spec: obj({ x: int() }, [{ rule: 'self.x > 0', messageExpression: "'x must be positive'" }]),
    accepted: false,
    problem: 'messageExpression needs Kubernetes >= 1.27, but the target is 1.26',
  },
  {
    name: 'named formats from 1.32',
    serverSince: '1.32',
    source: 'Kubernetes CEL libraries by version',
    spec: obj({ n: str({ maxLength: 63 }) }, [
      { rule: '!format.dns1123Label().validate(self.n).hasValue()', message: 'n must be a DNS label' },
    ]),
    accepted: true,
    objects: [
      { spec: { n: 'web-1' }, violations: [] },
      { spec: { n: 'Web_1' }, violations: ['n must be a DNS label'] },
    ],
  },
];
