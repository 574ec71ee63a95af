import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
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
