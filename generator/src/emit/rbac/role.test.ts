import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import type { KindModel, ProjectModel, RbacRule } from '../../model/index.ts';
import { emitRbac, mergeRules } from './role.ts';

function rule(
  apiGroups: string[],
  resources: string[],
  verbs: string[],
  resourceNames: string[] = [],
): RbacRule {
  return { apiGroups, resources, verbs, resourceNames, nonResourceURLs: [], source: 'src/controllers/a.ts' };
}

describe('mergeRules', () => {
  it('unions verbs per resource and combines resources with the same group and verbs', () => {
    assert.deepEqual(
      mergeRules([
        rule(['apps'], ['deployments'], ['get', 'list']),
        rule(['apps'], ['deployments', 'statefulsets'], ['watch']),
        rule(['apps'], ['statefulsets'], ['list', 'get']),
        rule([''], ['pods'], ['get']),
      ]),
      [
        { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'list', 'watch'] },
      ],
    );
  });

  it('keeps rules with resourceNames apart and collapses verbs to * when any rule grants *', () => {
    assert.deepEqual(
      mergeRules([
        rule([''], ['configmaps'], ['get'], ['cfg']),
        rule([''], ['configmaps'], ['*']),
        rule([''], ['configmaps'], ['get']),
      ]),
      [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['*'] },
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['cfg'], verbs: ['get'] },
      ],
    );
  });
});

describe('emitRbac', () => {
  it('adds what the manager needs: its kinds with status and finalizers, leases and events', () => {
    const kind = {
      group: 'a.example.com',
      plural: 'widgets',
      versions: [{ subresources: { status: true } }],
    } as unknown as KindModel;
    const model: ProjectModel = { kinds: [kind], rbacRules: [rule(['apps'], ['deployments'], ['get'])] };
    const [file] = emitRbac(model);
    assert.ok(file);
    assert.equal(file.path, 'config/rbac/role.yaml');
    const role = parse(file.contents) as {
      kind: string;
      metadata: { name: string };
      rules: unknown[];
    };
    assert.equal(role.kind, 'ClusterRole');
    assert.equal(role.metadata.name, 'manager-role');
    assert.deepEqual(role.rules, [
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      {
        apiGroups: ['a.example.com'],
        resources: ['widgets'],
        verbs: ['get', 'list', 'patch', 'update', 'watch'],
      },
      { apiGroups: ['a.example.com'], resources: ['widgets/finalizers'], verbs: ['update'] },
      { apiGroups: ['a.example.com'], resources: ['widgets/status'], verbs: ['get', 'patch', 'update'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      },
      { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
    ]);
  });
});

describe('emitRbac with namespace=', () => {
  const widgets = {
    group: 'a.example.com',
    plural: 'widgets',
    scope: 'Namespaced',
    versions: [{ subresources: { status: false } }],
  } as unknown as KindModel;
  const tenants = {
    group: 'a.example.com',
    plural: 'tenants',
    scope: 'Cluster',
    versions: [{ subresources: { status: false } }],
  } as unknown as KindModel;
  const inNamespace = (namespace: string, resources: string[]): RbacRule => ({
    ...rule([''], resources, ['get', 'list', 'watch']),
    namespace,
  });
  const documents = (
    model: ProjectModel,
  ): {
    kind: string;
    metadata: { name: string; namespace?: string };
    rules?: { resources?: string[] }[];
    subjects?: unknown[];
  }[] => {
    const [file] = emitRbac(model);
    assert.ok(file);
    return parseAllDocuments(file.contents).map((d) => d.toJS() as never);
  };

  it('puts namespaced tags in a Role per namespace, bound to the ServiceAccount, beside the ClusterRole', () => {
    const docs = documents({
      kinds: [widgets],
      rbacRules: [rule(['apps'], ['deployments'], ['get']), inNamespace('web', ['configmaps'])],
    });
    assert.deepEqual(
      docs.map((d) => [d.kind, d.metadata.namespace ?? '', d.metadata.name]),
      [
        ['ClusterRole', '', 'manager-role'],
        ['Role', 'web', 'manager-role'],
        ['RoleBinding', 'web', 'manager-rolebinding'],
      ],
    );
    assert.deepEqual(docs[1]?.rules, [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
    ]);
    assert.deepEqual(docs[2]?.subjects, [
      { kind: 'ServiceAccount', name: 'controller-manager', namespace: 'system' },
    ]);
    assert.ok(docs[0]?.rules?.some((r) => r.resources?.includes('widgets')));
  });

  it('gives a namespace-restricted operator Roles only, with the manager rules in each', () => {
    const docs = documents({
      kinds: [widgets],
      rbacRules: [inNamespace('web', ['configmaps']), inNamespace('shop', ['secrets'])],
    });
    assert.deepEqual(
      docs.map((d) => [d.kind, d.metadata.namespace ?? '']),
      [
        ['Role', 'shop'],
        ['RoleBinding', 'shop'],
        ['Role', 'web'],
        ['RoleBinding', 'web'],
      ],
    );
    for (const role of [docs[0], docs[2]]) {
      const resources = role?.rules?.flatMap((r) => r.resources ?? []) ?? [];
      for (const needed of ['widgets', 'widgets/finalizers', 'leases', 'events']) {
        assert.ok(resources.includes(needed), `${role?.metadata.namespace ?? ''} grants ${needed}`);
      }
    }
    assert.ok(!(docs[0]?.rules?.flatMap((r) => r.resources ?? []) ?? []).includes('configmaps'));
  });

  it('keeps a ClusterRole for cluster-scoped kinds of a namespace-restricted operator', () => {
    const docs = documents({ kinds: [widgets, tenants], rbacRules: [inNamespace('web', ['configmaps'])] });
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['ClusterRole', 'Role', 'RoleBinding'],
    );
    const cluster = docs[0]?.rules?.flatMap((r) => r.resources ?? []) ?? [];
    assert.deepEqual(cluster.sort(), ['tenants', 'tenants/finalizers']);
  });
});
