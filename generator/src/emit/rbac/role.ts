/**
 * The RBAC emitter: a ClusterRole with the rules declared by `@rbac` tags plus what the
 * manager itself needs, merged (same group and verbs -> one rule) and sorted, so the role
 * reads like controller-gen's and is byte-stable.
 *
 * Tags with `namespace=` become a Role of the same name in that namespace, as controller-gen
 * emits them, with a RoleBinding to the operator's ServiceAccount. When every tag names a
 * namespace the operator is namespace-restricted: the manager's own rules (its namespaced
 * kinds, Leases, Events) go into each Role, and a ClusterRole is emitted only for what cannot
 * be namespaced (cluster-scoped kinds).
 */
import type { ProjectModel, RbacRule } from '../../model/index.ts';
import type { OutputFile } from '../output-file.ts';
import { toYaml } from '../yaml.ts';

export interface RbacOptions {
  /** default `manager-role` */
  readonly roleName?: string;
  /** default `config/rbac/role.yaml` */
  readonly path?: string;
  /** Subject of the Roles' bindings; default the scaffold's `system/controller-manager`. */
  readonly serviceAccount?: { readonly namespace: string; readonly name: string };
}

export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly verbs: readonly string[];
}

type DeclaredRule = Omit<RbacRule, 'source'>;

const leaderElectionVerbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const eventVerbs = ['create', 'patch'];

/**
 * What the manager needs whatever the controllers declare; `scope` picks the rules of
 * cluster-scoped kinds (`'cluster'`) or the rest (`'namespaced'`), default all.
 */
export function managerRules(model: ProjectModel, scope?: 'cluster' | 'namespaced'): readonly DeclaredRule[] {
  const rule = (apiGroups: string[], resources: string[], verbs: string[]): DeclaredRule => ({
    apiGroups,
    resources,
    verbs,
    resourceNames: [],
    nonResourceURLs: [],
  });
  const kinds = model.kinds.filter(
    (kind) => scope === undefined || (kind.scope === 'Cluster') === (scope === 'cluster'),
  );
  return [
    ...kinds.flatMap((kind) => [
      rule([kind.group], [kind.plural], ['get', 'list', 'watch', 'update', 'patch']),
      ...(kind.versions.some((v) => v.subresources.status)
        ? [rule([kind.group], [`${kind.plural}/status`], ['get', 'update', 'patch'])]
        : []),
      rule([kind.group], [`${kind.plural}/finalizers`], ['update']),
    ]),
    ...(scope === 'cluster'
      ? []
      : [
          rule(['coordination.k8s.io'], ['leases'], leaderElectionVerbs),
          rule([''], ['events'], eventVerbs),
          rule(['events.k8s.io'], ['events'], eventVerbs),
        ]),
  ];
}

/** Merges rules: verbs per (group, resource, names) are unioned, then resources sharing a group and verbs are combined. */
export function mergeRules(rules: readonly DeclaredRule[]): PolicyRule[] {
  const verbsByResource = new Map<string, Set<string>>();
  const verbsByUrl = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, key: string, verbs: readonly string[]): void => {
    const set = map.get(key) ?? new Set<string>();
    for (const verb of verbs) set.add(verb);
    map.set(key, set);
  };
  for (const rule of rules) {
    for (const url of rule.nonResourceURLs) add(verbsByUrl, url, rule.verbs);
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        add(verbsByResource, JSON.stringify([group, resource, [...rule.resourceNames].sort()]), rule.verbs);
      }
    }
  }
  const normalise = (verbs: Set<string>): string[] => (verbs.has('*') ? ['*'] : [...verbs].sort());
  const grouped = new Map<string, { group: string; names: string[]; verbs: string[]; resources: string[] }>();
  for (const [key, verbs] of verbsByResource) {
    const [group, resource, names] = JSON.parse(key) as [string, string, string[]];
    const sortedVerbs = normalise(verbs);
    const groupKey = JSON.stringify([group, names, sortedVerbs]);
    const entry = grouped.get(groupKey) ?? { group, names, verbs: sortedVerbs, resources: [] };
    entry.resources.push(resource);
    grouped.set(groupKey, entry);
  }
  const resourceRules: PolicyRule[] = [...grouped.values()]
    .map((e) => ({
      apiGroups: [e.group],
      resources: e.resources.sort(),
      ...(e.names.length > 0 ? { resourceNames: e.names } : {}),
      verbs: e.verbs,
    }))
    .sort((a, b) => compareKeys(ruleKey(a), ruleKey(b)));
  const urlsByVerbs = new Map<string, string[]>();
  for (const [url, verbs] of verbsByUrl) {
    const key = normalise(verbs).join(',');
    urlsByVerbs.set(key, [...(urlsByVerbs.get(key) ?? []), url]);
  }
  const urlRules: PolicyRule[] = [...urlsByVerbs.entries()]
    .map(([verbs, urls]) => ({ nonResourceURLs: urls.sort(), verbs: verbs.split(',') }))
    .sort((a, b) => compareKeys(a.nonResourceURLs.join(','), b.nonResourceURLs.join(',')));
  return [...resourceRules, ...urlRules];
}

function ruleKey(rule: PolicyRule): string {
  return `${rule.apiGroups?.[0] ?? ''}\u0000${rule.resources?.[0] ?? ''}\u0000${(rule.resourceNames ?? []).join(',')}`;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function emitRbac(model: ProjectModel, options: RbacOptions = {}): OutputFile[] {
  const roleName = options.roleName ?? 'manager-role';
  const account = options.serviceAccount ?? { namespace: 'system', name: 'controller-manager' };
  const clusterDeclared = model.rbacRules.filter((r) => r.namespace === undefined);
  const byNamespace = new Map<string, DeclaredRule[]>();
  for (const rule of model.rbacRules) {
    if (rule.namespace === undefined) continue;
    byNamespace.set(rule.namespace, [...(byNamespace.get(rule.namespace) ?? []), rule]);
  }
  const restricted = byNamespace.size > 0 && clusterDeclared.length === 0;
  const clusterRules = mergeRules([
    ...clusterDeclared,
    ...managerRules(model, restricted ? 'cluster' : undefined),
  ]);
  const documents: object[] = [];
  if (!restricted || clusterRules.length > 0) {
    documents.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: roleName },
      rules: clusterRules,
    });
  }
  for (const namespace of [...byNamespace.keys()].sort()) {
    const declared = byNamespace.get(namespace) ?? [];
    documents.push(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: roleName, namespace },
        rules: mergeRules([...declared, ...(restricted ? managerRules(model, 'namespaced') : [])]),
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: roleName.replace(/-role$/, '') + '-rolebinding', namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
        subjects: [{ kind: 'ServiceAccount', name: account.name, namespace: account.namespace }],
      },
    );
  }
  const sources = [...new Set(model.rbacRules.map((r) => r.source))].sort();
  const header = [
    `Source: @rbac tags in ${sources.length > 0 ? sources.join(', ') : 'src/controllers/**'} and the manager's own needs`,
  ];
  const contents = documents
    .map((document, index) => {
      const text = toYaml(document, index === 0 ? header : []);
      return index === 0 ? text : text.slice(text.indexOf('\n---\n') + 1);
    })
    .join('');
  return [{ path: options.path ?? 'config/rbac/role.yaml', contents, ownership: 'generated' }];
}
