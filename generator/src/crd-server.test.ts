/**
 * The fixture CRDs against a real kube-apiserver: they install and become Established;
 * objects that satisfy the TypeScript types are accepted; objects that break a constraint are
 * rejected with the field path of the broken value; both versions of a multi-version kind
 * are served.
 *
 * On servers that enforce x-kubernetes-validations (CEL, >= 1.25) the fixture's rules are
 * exercised too: valid union members pass, each broken one is rejected with its rule's
 * message. Older servers skip those tests, saying why; cel-rules.test.ts evaluates the same
 * rules without a server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createNamespace,
  installCRDs,
  skipUnlessServerAtLeast,
  startControlPlane,
  type ControlPlane,
  type CustomResourceDefinition,
} from '@kubeforge/testing';
import { parse } from 'yaml';
import { emitCrds, loadProject } from './index.ts';
import { fixtureDir, invalidFields, kubeRequest } from './testing/index.ts';

const group = 'backup.example.com';

function validSchedule(name: string): Record<string, unknown> {
  return {
    apiVersion: `${group}/v1`,
    kind: 'BackupSchedule',
    metadata: { name },
    spec: {
      schedule: '0 3 * * *',
      suspend: true,
      suspendUntil: '2024-01-02T15:04:05Z',
      targets: [
        {
          host: 'db-1',
          port: 5432,
          protocol: 'TCP',
          maxBytes: 1_000_000,
          weight: 2,
          alias: 'db.example.com',
        },
        { host: 'db-1', port: 5433, protocol: 'UDP' },
      ],
      tags: ['nightly', 'prod'],
      excludes: ['tmp', 'tmp'],
      zones: ['a', 'c'],
      destination: { type: 's3', bucket: 'backups', region: 'eu-west-1' },
      codec: 'zstd',
      level: 9,
      ratio: 0.5,
      retention: { keep: 3, ratio: 0.1, percent: 99.5, everyMinutes: 15, maxUnavailable: '25%', surge: 1 },
      window: { start: '0 1 * * *', length: '1h30m' },
      windows: { items: [{ start: '0 2 * * *', length: '10m' }], pageSize: 1 },
      ports: { items: [80, 443] },
      labels: { team: 'db' },
      annotations: { note: 'x' },
      limits: { cpu: '500m', memory: '1Gi', storage: 10 },
      resources: { cpu: 1, memory: '512Mi' },
      owner: { name: 'Ann', email: 'ann@example.com' },
      contact: { name: 'Bob', email: 'bob@example.com' },
      override: { team: 'storage' },
      credentials: { secretName: 'db-creds', key: 'password', namespace: 'ops' },
      selector: {
        matchLabels: { app: 'db' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }],
      },
      settings: { plugin: { depth: 3, enabled: true } },
      raw: [1, 'two', { three: 3 }],
      template: {
        metadata: { name: 'runner', labels: { app: 'runner' } },
        object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' } },
      },
      extra: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v' } },
      note: null,
      previous: null,
      mode: null,
      startedAt: '2024-01-02T15:04:05.123456Z',
      bytesTotal: 123456789012,
      notify: 'ops@example.com',
    },
  };
}

/**
 * Drops list indexes from a field path: 1.20 reports `spec.targets.port` where newer servers
 * report `spec.targets[0].port` for schema violations inside lists.
 */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function withoutIndexes(field: string): string {
  return field.replace(/\[\d+\]/g, '');
}

/** Deep-copies a valid object and applies `edit` to its spec. */
function withSpec(name: string, edit: (spec: Record<string, unknown>) => void): Record<string, unknown> {
  const object = structuredClone(validSchedule(name));
  edit(object.spec as Record<string, unknown>);
  return object;
}

describe('fixture CRDs on a real API server', () => {
  let cp: ControlPlane;
  let ns: string;
  let crds: CustomResourceDefinition[];
  const schedules = (version = 'v1'): string => `/apis/${group}/${version}/namespaces/${ns}/backupschedules`;

  before(async () => {
    cp = await startControlPlane();
    const { model, diagnostics } = loadProject({ projectDir: fixtureDir('backup-operator') });
    assert.deepEqual(diagnostics, []);
    const mappings = loadProject({ projectDir: fixtureDir('mappings') });
    assert.deepEqual(mappings.diagnostics, []);
    crds = [...emitCrds(model), ...emitCrds(mappings.model)].map(
      (file) => parse(file.contents) as CustomResourceDefinition,
    );
    await installCRDs(cp.kubeConfig, crds);
    ns = await createNamespace(cp.kubeConfig, 'generator');
  });

  after(async () => {
    await cp.stop();
  });

  it('installs every fixture CRD and they become Established', async () => {
    for (const crd of crds) {
      const response = await kubeRequest(
        cp.kubeConfig,
        'GET',
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata?.name ?? ''}`,
      );
      const conditions = (response.body as CustomResourceDefinition).status?.conditions ?? [];
      assert.ok(
        conditions.some((c) => c.type === 'Established' && c.status === 'True'),
        `${crd.metadata?.name ?? ''} is not Established`,
      );
    }
  });

  it('accepts an object that satisfies the TypeScript types, applying defaults and keeping preserved fields', async () => {
    const response = await kubeRequest(cp.kubeConfig, 'POST', schedules(), validSchedule('valid'));
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const spec = (response.body as { spec: Record<string, unknown> }).spec;
    assert.equal(spec.tier, 'daily');
    assert.equal(spec.replicas, 1);
    assert.deepEqual(spec.settings, { plugin: { depth: 3, enabled: true } });
    assert.deepEqual(spec.raw, [1, 'two', { three: 3 }]);
    assert.deepEqual((spec.extra as Record<string, unknown>).stringData, { k: 'v' });
  });

  it('applies a nested default and prunes fields the types do not declare', async () => {
    const object = withSpec('pruned', (spec) => {
      delete spec.retention;
      spec.unknownField = 'dropped';
      (spec.owner as Record<string, unknown>).extra = 'dropped';
    });
    const response = await kubeRequest(cp.kubeConfig, 'POST', schedules(), object);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const spec = (response.body as { spec: Record<string, unknown> }).spec;
    assert.deepEqual(spec.retention, { keep: 3 });
    assert.equal(spec.unknownField, undefined);
    assert.deepEqual(spec.owner, { name: 'Ann', email: 'ann@example.com' });
  });

  it('drops null from a field that is not nullable instead of storing it', async () => {
    const response = await kubeRequest(
      cp.kubeConfig,
      'POST',
      schedules(),
      withSpec('null-codec', (s) => (s.codec = null)),
    );
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.equal('codec' in (response.body as { spec: Record<string, unknown> }).spec, false);
  });

  const violations: readonly [string, (spec: Record<string, unknown>) => void, string][] = [
    ['a missing required field', (s) => delete s.schedule, 'spec.schedule'],
    [
      'a port below @minimum (alias-level marker)',
      (s) => ((s.targets as Record<string, unknown>[])[0]!.port = 0),
      'spec.targets[0].port',
    ],
    [
      'a port above @maximum',
      (s) => ((s.targets as Record<string, unknown>[])[0]!.port = 70000),
      'spec.targets[0].port',
    ],
    [
      'a fractional int32',
      (s) => ((s.targets as Record<string, unknown>[])[0]!.weight = 1.5),
      'spec.targets[0].weight',
    ],
    [
      'an enum value outside a literal union',
      (s) => ((s.targets as Record<string, unknown>[])[0]!.protocol = 'SCTP'),
      'spec.targets[0].protocol',
    ],
    ['fewer items than @minItems', (s) => (s.targets = []), 'spec.targets'],
    [
      'a duplicate @listMapKey key',
      (s) =>
        (s.targets = [
          { host: 'a', port: 1, protocol: 'TCP' },
          { host: 'a', port: 1, protocol: 'UDP' },
        ]),
      'spec.targets[1]',
    ],
    ['a duplicate item in a @uniqueItems list', (s) => (s.tags = ['a', 'a']), 'spec.tags[1]'],
    ['a duplicate item in a @listType set', (s) => (s.zones = ['a', 'a']), 'spec.zones[1]'],
    ['a string enum from a TypeScript enum', (s) => (s.codec = 'lz4'), 'spec.codec'],
    ['a number outside a numeric literal union', (s) => (s.level = 2), 'spec.level'],
    [
      'a @pattern mismatch in a union member',
      (s) => (s.destination = { type: 's3', bucket: 'Not_A_Bucket' }),
      'spec.destination.bucket',
    ],
    [
      'a discriminator value of no member',
      (s) => (s.destination = { type: 'ftp', path: '/x' }),
      'spec.destination.type',
    ],
    ['a quantity that is not a quantity', (s) => (s.limits = { cpu: 'lots' }), 'spec.limits.cpu'],
    ['fewer properties than @minProperties', (s) => (s.limits = {}), 'spec.limits'],
    [
      'a value not above @exclusiveMinimum',
      (s) => ((s.retention as Record<string, unknown>).ratio = 0),
      'spec.retention.ratio',
    ],
    [
      'a value not below @exclusiveMaximum',
      (s) => ((s.retention as Record<string, unknown>).percent = 100),
      'spec.retention.percent',
    ],
    [
      'a value that is not a @multipleOf',
      (s) => ((s.retention as Record<string, unknown>).everyMinutes = 7),
      'spec.retention.everyMinutes',
    ],
    [
      'a boolean where IntOrString is expected',
      (s) => ((s.retention as Record<string, unknown>).surge = true),
      'spec.retention.surge',
    ],
    [
      'a Duration that does not parse (a @pattern: upstream Duration is a plain string)',
      (s) => ((s.window as Record<string, unknown>).length = 'forever'),
      'spec.window.length',
    ],
    [
      'a Duration in days, which Go cannot parse',
      (s) => ((s.window as Record<string, unknown>).length = '90d'),
      'spec.window.length',
    ],
    ['a Time that is not RFC 3339', (s) => (s.suspendUntil = 'tomorrow'), 'spec.suspendUntil'],
    ['a string that is not an @format email', (s) => (s.notify = 'not an email'), 'spec.notify'],
    [
      'a @minLength violation through an alias',
      (s) => ((s.credentials as Record<string, unknown>).secretName = ''),
      'spec.credentials.secretName',
    ],
    [
      'a label selector requirement without an operator',
      (s) => (s.selector = { matchExpressions: [{ key: 'k' }] }),
      'spec.selector.matchExpressions[0].operator',
    ],
    ['an enum value of a nullable literal union', (s) => (s.mode = 'reckless'), 'spec.mode'],
    [
      'a generic instantiation item of the wrong type',
      (s) => (s.ports = { items: [0] }),
      'spec.ports.items[0]',
    ],
    ['a map value of the wrong type', (s) => (s.labels = { team: 1 }), 'spec.labels.team'],
    [
      'an embedded resource without kind',
      (s) => (s.extra = { apiVersion: 'v1', metadata: { name: 'x' } }),
      'spec.extra.kind',
    ],
    [
      'more items than @maxItems',
      (s) =>
        (s.targets = Array.from({ length: 11 }, (_, i) => ({ host: `h${i}`, port: 1, protocol: 'TCP' }))),
      'spec.targets',
    ],
  ];

  for (const [what, edit, field] of violations) {
    it(`rejects ${what} at ${field}`, async () => {
      const response = await kubeRequest(
        cp.kubeConfig,
        'POST',
        schedules(),
        withSpec(`bad-${Math.random().toString(36).slice(2, 8)}`, edit),
      );
      assert.equal(
        response.status,
        422,
        `expected 422 Invalid, got ${response.status}: ${JSON.stringify(response.body)}`,
      );
      assert.ok(
        invalidFields(response).map(withoutIndexes).includes(withoutIndexes(field)),
        `expected a cause at ${field}, got ${JSON.stringify(invalidFields(response))}`,
      );
    });
  }

  /** The fixture's CEL rules as the server enforces them (x-kubernetes-validations, 1.25+). */
  const celCases: readonly [what: string, edit: (spec: Record<string, unknown>) => void, message: string][] =
    [
      [
        'gcs without its required project',
        (s) => (s.destination = { type: 'gcs', bucket: 'b' }),
        'when type is gcs: bucket, project are required; region, path must not be set',
      ],
      [
        's3 with a field of another member',
        (s) => (s.destination = { type: 's3', bucket: 'b', path: '/x' }),
        'when type is s3: bucket is required; project, path must not be set',
      ],
      [
        'pvc without its path',
        (s) => (s.destination = { type: 'pvc' }),
        'when type is pvc or hostPath: path is required; bucket, region, project must not be set',
      ],
      [
        'suspendUntil without suspend (a @validation rule)',
        (s) => (s.suspend = false),
        'suspendUntil needs suspend',
      ],
    ];

  for (const [what, value] of [
    ['gcs', { type: 'gcs', bucket: 'b', project: 'p' }],
    ['pvc', { type: 'pvc', path: '/data' }],
    ['hostPath', { type: 'hostPath', path: '/data' }],
  ] as const) {
    it(`a server that enforces CEL rules accepts the union member ${what}`, async (t) => {
      if (skipUnlessServerAtLeast(t, cp, '1.25', 'CEL validation rules')) return;
      const object = withSpec(`cel-${what.toLowerCase()}`, (s) => (s.destination = value));
      const response = await kubeRequest(cp.kubeConfig, 'POST', schedules(), object);
      assert.equal(response.status, 201, JSON.stringify(response.body));
    });
  }

  for (const [what, edit, message] of celCases) {
    it(`a server that enforces CEL rules rejects ${what} with the rule's message`, async (t) => {
      if (skipUnlessServerAtLeast(t, cp, '1.25', 'CEL validation rules')) return;
      const response = await kubeRequest(
        cp.kubeConfig,
        'POST',
        schedules(),
        withSpec(`cel-bad-${Math.random().toString(36).slice(2, 8)}`, edit),
      );
      assert.equal(response.status, 422, JSON.stringify(response.body));
      assert.match(JSON.stringify(response.body), new RegExp(escapeRegExp(message)));
    });
  }

  it('a resource-level rule rejects a name over 40 characters on a server that enforces CEL', async (t) => {
    if (skipUnlessServerAtLeast(t, cp, '1.25', 'CEL validation rules')) return;
    const response = await kubeRequest(cp.kubeConfig, 'POST', schedules(), validSchedule('x'.repeat(41)));
    assert.equal(response.status, 422, JSON.stringify(response.body));
    assert.match(JSON.stringify(response.body), /name must be at most 40 characters/);
  });

  it('validates status through the status subresource (Condition keeps upstream validation)', async () => {
    const created = await kubeRequest(cp.kubeConfig, 'POST', schedules(), validSchedule('with-status'));
    assert.equal(created.status, 201);
    const object = created.body as Record<string, unknown>;
    const condition = {
      type: 'Ready',
      status: 'True',
      reason: 'not a reason!',
      message: 'ok',
      lastTransitionTime: '2024-01-02T15:04:05Z',
    };
    const bad = await kubeRequest(cp.kubeConfig, 'PUT', `${schedules()}/with-status/status`, {
      ...object,
      status: { conditions: [condition] },
    });
    assert.equal(bad.status, 422);
    assert.ok(
      invalidFields(bad).map(withoutIndexes).includes('status.conditions.reason'),
      JSON.stringify(invalidFields(bad)),
    );
    const good = await kubeRequest(cp.kubeConfig, 'PUT', `${schedules()}/with-status/status`, {
      ...object,
      status: { conditions: [{ ...condition, reason: 'Scheduled' }], replicas: 2, selector: 'app=db' },
    });
    assert.equal(good.status, 200, JSON.stringify(good.body));
  });

  it('serves the scale subresource from the declared replica paths', async () => {
    const scale = await kubeRequest(cp.kubeConfig, 'GET', `${schedules()}/with-status/scale`);
    assert.equal(scale.status, 200, JSON.stringify(scale.body));
    const body = scale.body as { spec: { replicas: number }; status: { replicas: number; selector: string } };
    assert.equal(body.spec.replicas, 1);
    assert.equal(body.status.replicas, 2);
    assert.equal(body.status.selector, 'app=db');
  });

  it('serves the printer columns', async () => {
    const table = await kubeRequest(cp.kubeConfig, 'GET', schedules(), undefined, {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    const columns = (table.body as { columnDefinitions: { name: string }[] }).columnDefinitions.map(
      (c) => c.name,
    );
    assert.deepEqual(columns, ['Name', 'Schedule', 'Suspended', 'Ready', 'Last-Run', 'Age']);
  });

  it('serves both versions of the multi-version kind from the one storage version', async () => {
    const old = {
      apiVersion: `${group}/v1alpha1`,
      kind: 'BackupSchedule',
      metadata: { name: 'from-alpha' },
      spec: { schedule: '@daily', host: 'db' },
    };
    const created = await kubeRequest(cp.kubeConfig, 'POST', schedules('v1alpha1'), old);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const rejected = await kubeRequest(cp.kubeConfig, 'POST', schedules('v1alpha1'), {
      ...old,
      metadata: { name: 'no-schedule' },
      spec: {},
    });
    assert.equal(rejected.status, 422);
    assert.ok(invalidFields(rejected).includes('spec.schedule'));
    for (const version of ['v1alpha1', 'v1']) {
      const list = await kubeRequest(cp.kubeConfig, 'GET', schedules(version));
      assert.equal(list.status, 200);
      const names = (list.body as { items: { metadata: { name: string } }[] }).items.map(
        (i) => i.metadata.name,
      );
      assert.ok(names.includes('from-alpha'), `${version} lists ${names.join(', ')}`);
    }
  });

  it('accepts a Mapping that satisfies its types and rejects broken ones at the field path', async () => {
    const valid = {
      apiVersion: 'mapping.example.com/v1',
      kind: 'Mapping',
      metadata: { name: 'm' },
      spec: {
        shape: { name: 'square', labels: { sides: '4' } },
        names: ['a'],
        counts: [1, 2],
        nested: { first: { first: 1, second: 'one' }, second: 2 },
        perAxis: { x: { x: 0, y: 0 }, y: { x: 1, y: 1 }, z: { x: 2, y: 2.5 } },
        enabled: true,
        offset: -1,
        matrix: [[1, 2], [3]],
        owners: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'u-1', controller: true }],
        version: 'v2',
        image: 'ghcr.io/kubeforge/operator:1.0',
        extensible: { name: 'e', extra: { deep: [1] } },
        origin: null,
        tagged: [{ name: 'p', x: 1, y: 2 }],
      },
    };
    const created = await kubeRequest(cp.kubeConfig, 'POST', '/apis/mapping.example.com/v1/mappings', valid);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual((created.body as typeof valid).spec.extensible, { name: 'e', extra: { deep: [1] } });
    const broken: readonly [(spec: Record<string, unknown>) => void, string][] = [
      [(s) => (s.names = []), 'spec.names'],
      [(s) => (s.enabled = false), 'spec.enabled'],
      [(s) => (s.nested = { first: { first: 'x', second: 'one' }, second: 2 }), 'spec.nested.first.first'],
      [(s) => (s.perAxis = { x: { x: 0, y: 0 }, y: { x: 1, y: 1 } }), 'spec.perAxis.z'],
      [(s) => (s.shape = { labels: {} }), 'spec.shape.name'],
      [(s) => (s.owners = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm' }]), 'spec.owners.uid'],
      [(s) => (s.tagged = [{ name: 'p', x: 1 }]), 'spec.tagged.y'],
      [(s) => (s.version = 'version2'), 'spec.version'],
      [(s) => (s.extensible = { extra: true }), 'spec.extensible.name'],
      [(s) => (s.image = 'quay.io/kubeforge/operator:1.0'), 'spec.image'],
    ];
    for (const [index, [edit, field]] of broken.entries()) {
      const object = structuredClone(valid) as { metadata: { name: string }; spec: Record<string, unknown> };
      object.metadata.name = `broken-${index}`;
      edit(object.spec);
      const response = await kubeRequest(
        cp.kubeConfig,
        'POST',
        '/apis/mapping.example.com/v1/mappings',
        object,
      );
      assert.equal(response.status, 422, `${field}: ${JSON.stringify(response.body)}`);
      assert.ok(
        invalidFields(response).map(withoutIndexes).includes(field),
        `expected a cause at ${field}, got ${JSON.stringify(invalidFields(response))}`,
      );
    }
  });

  it('serves a cluster-scoped kind only in its served version', async () => {
    const vault = {
      apiVersion: 'storage.example.com/v1',
      kind: 'Vault',
      metadata: { name: 'main' },
      spec: { url: 'https://vault.example.com' },
    };
    const created = await kubeRequest(cp.kubeConfig, 'POST', '/apis/storage.example.com/v1/vaults', vault);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((created.body as { spec: { readOnly: boolean } }).spec.readOnly, false);
    const bad = await kubeRequest(cp.kubeConfig, 'POST', '/apis/storage.example.com/v1/vaults', {
      ...vault,
      metadata: { name: 'bad' },
      spec: { url: 'x', readOnly: 'yes' },
    });
    assert.equal(bad.status, 422);
    assert.ok(invalidFields(bad).includes('spec.readOnly'), JSON.stringify(invalidFields(bad)));
    const unserved = await kubeRequest(cp.kubeConfig, 'GET', '/apis/storage.example.com/v1beta1/vaults');
    assert.equal(unserved.status, 404);
  });
});
