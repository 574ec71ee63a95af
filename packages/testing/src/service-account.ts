/**
 * An operator's own identity, for tests: applies the ServiceAccount and RBAC objects among a
 * project's manifests (its `config/rbac`, `kubectl kustomize config/default`, an installer),
 * asks the TokenRequest API for a token of that ServiceAccount, and lays the credentials out
 * as the kubelet mounts them in a Pod: a directory with `token`, `ca.crt` and `namespace`,
 * plus `KUBERNETES_SERVICE_HOST` / `KUBERNETES_SERVICE_PORT` for the API server. An operator
 * given `env` (whose `KUBEFORGE_SERVICE_ACCOUNT_DIR` points `loadKubeConfig()` at the
 * directory) runs exactly as its Pod would, with only the permissions its roles grant.
 *
 * Only Namespace, ServiceAccount, Role, ClusterRole, RoleBinding and ClusterRoleBinding
 * objects are applied (server-side apply as the admin, so re-applying an edited role replaces
 * its rules); everything else is listed in `skipped` (install CRDs with `installCRDs`).
 * Missing namespaces of the applied objects are created. Nothing is deleted afterwards:
 * `cleanup()` removes only the credentials directory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { ControlPlaneError } from './errors.ts';
import { kubeRequest } from './http.ts';
import { kubeConfigFromYaml, tokenKubeConfigYaml } from './kubeconfig.ts';
import { readManifests, type Manifest, type ManifestSource } from './manifests.ts';

export interface ServiceAccountIdentityOptions {
  /** The project's manifests; see `ManifestSource`. */
  readonly manifests: ManifestSource;
  /**
   * Which ServiceAccount to become; default the only one among the manifests (an error names
   * the candidates when there are several).
   */
  readonly serviceAccount?: { readonly namespace: string; readonly name: string };
  /** The token's lifetime; default 3600 s (the API server's minimum is 600 s). */
  readonly expirationSeconds?: number;
}

export interface ServiceAccountIdentity {
  readonly namespace: string;
  readonly name: string;
  /** `system:serviceaccount:<namespace>:<name>`, as RBAC and error messages name it. */
  readonly username: string;
  readonly token: string;
  /** Stands in for /var/run/secrets/kubernetes.io/serviceaccount: `token`, `ca.crt`, `namespace`. */
  readonly dir: string;
  /**
   * The environment of the operator's Pod: `KUBERNETES_SERVICE_HOST`, `KUBERNETES_SERVICE_PORT`
   * and `KUBEFORGE_SERVICE_ACCOUNT_DIR` (read by `@kubeforge/runtime`'s `loadKubeConfig()`).
   * Pass it to a child process with no `KUBECONFIG`.
   */
  readonly env: Readonly<Record<string, string>>;
  /** The same credentials as a kubeconfig, for code running in the test's own process. */
  readonly kubeConfig: KubeConfig;
  /** `Kind namespace/name` of every object applied, in order. */
  readonly applied: readonly string[];
  /** `Kind name (source)` of every manifest that is not an identity object. */
  readonly skipped: readonly string[];
  /** Removes the credentials directory. */
  cleanup(): void;
}

interface KindInfo {
  readonly apiVersion: string;
  readonly base: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** Apply order: namespaces, then accounts, roles, bindings. */
  readonly order: number;
}

const rbacBase = '/apis/rbac.authorization.k8s.io/v1';
const identityKinds: Readonly<Record<string, KindInfo>> = {
  Namespace: { apiVersion: 'v1', base: '/api/v1', plural: 'namespaces', namespaced: false, order: 0 },
  ServiceAccount: {
    apiVersion: 'v1',
    base: '/api/v1',
    plural: 'serviceaccounts',
    namespaced: true,
    order: 1,
  },
  ClusterRole: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    base: rbacBase,
    plural: 'clusterroles',
    namespaced: false,
    order: 2,
  },
  Role: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    base: rbacBase,
    plural: 'roles',
    namespaced: true,
    order: 2,
  },
  ClusterRoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    base: rbacBase,
    plural: 'clusterrolebindings',
    namespaced: false,
    order: 3,
  },
  RoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    base: rbacBase,
    plural: 'rolebindings',
    namespaced: true,
    order: 3,
  },
};

interface IdentityObject {
  readonly manifest: Manifest;
  readonly kind: KindInfo & { readonly name: string };
  readonly name: string;
  readonly namespace: string | undefined;
}

/**
 * Applies the identity objects among `options.manifests` with `adminKubeConfig` and returns
 * the chosen ServiceAccount's credentials in the in-cluster layout.
 */
export async function createServiceAccountIdentity(
  adminKubeConfig: KubeConfig,
  options: ServiceAccountIdentityOptions,
): Promise<ServiceAccountIdentity> {
  const { objects, skipped } = classify(readManifests(options.manifests));
  const account = chooseAccount(objects, options.serviceAccount);
  const applied: string[] = [];
  const namespaces = new Set(objects.filter((o) => o.kind.name === 'Namespace').map((o) => o.name));
  for (const namespace of new Set(objects.flatMap((o) => (o.namespace === undefined ? [] : [o.namespace])))) {
    if (namespaces.has(namespace)) continue;
    const found = await kubeRequest(adminKubeConfig, 'GET', `/api/v1/namespaces/${namespace}`);
    if (found.status === 404) {
      await apply(
        adminKubeConfig,
        `/api/v1/namespaces/${namespace}`,
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
        `Namespace ${namespace}`,
      );
      applied.push(`Namespace ${namespace}`);
    }
  }
  for (const object of [...objects].sort((a, b) => a.kind.order - b.kind.order)) {
    const scope = object.namespace === undefined ? '' : `/namespaces/${object.namespace}`;
    const label = `${object.kind.name} ${object.namespace === undefined ? '' : `${object.namespace}/`}${object.name}`;
    await apply(
      adminKubeConfig,
      `${object.kind.base}${scope}/${object.kind.plural}/${object.name}`,
      object.manifest.object,
      `${label} (${object.manifest.source})`,
    );
    applied.push(label);
  }

  const tokenResponse = await kubeRequest(
    adminKubeConfig,
    'POST',
    `/api/v1/namespaces/${account.namespace}/serviceaccounts/${account.name}/token`,
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: options.expirationSeconds ?? 3600 },
    },
  );
  if (tokenResponse.status !== 201 && tokenResponse.status !== 200) {
    throw new ControlPlaneError(
      `TokenRequest for ServiceAccount ${account.namespace}/${account.name} answered HTTP ${tokenResponse.status}: ${tokenResponse.body.slice(0, 400)}` +
        (tokenResponse.status === 404
          ? ' (the API server serves serviceaccounts/token only with --service-account-issuer and --service-account-signing-key-file)'
          : ''),
    );
  }
  const token = (JSON.parse(tokenResponse.body) as { status?: { token?: string } }).status?.token ?? '';

  const cluster = adminKubeConfig.getCurrentCluster();
  if (cluster === null) throw new ControlPlaneError('the admin kubeconfig has no current cluster');
  const server = new URL(cluster.server);
  const caPem = cluster.caData !== undefined ? Buffer.from(cluster.caData, 'base64').toString('utf8') : '';
  if (caPem === '') {
    throw new ControlPlaneError(
      `cluster "${cluster.name}" has no certificate-authority-data to write as ca.crt`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'kubeforge-serviceaccount-'));
  writeFileSync(join(dir, 'token'), token, { mode: 0o600 });
  writeFileSync(join(dir, 'ca.crt'), caPem);
  writeFileSync(join(dir, 'namespace'), account.namespace);
  const username = `system:serviceaccount:${account.namespace}:${account.name}`;
  return {
    namespace: account.namespace,
    name: account.name,
    username,
    token,
    dir,
    env: {
      KUBERNETES_SERVICE_HOST: server.hostname.replace(/^\[(.*)\]$/, '$1'),
      KUBERNETES_SERVICE_PORT: server.port === '' ? '443' : server.port,
      KUBEFORGE_SERVICE_ACCOUNT_DIR: dir,
    },
    kubeConfig: kubeConfigFromYaml(
      tokenKubeConfigYaml({ server: cluster.server, caPem, user: username, token }),
    ),
    applied,
    skipped,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function classify(manifests: readonly Manifest[]): { objects: IdentityObject[]; skipped: string[] } {
  const objects: IdentityObject[] = [];
  const skipped: string[] = [];
  for (const manifest of manifests) {
    const { kind, apiVersion, metadata } = manifest.object as {
      kind?: unknown;
      apiVersion?: unknown;
      metadata?: { name?: unknown; namespace?: unknown };
    };
    const info = typeof kind === 'string' ? identityKinds[kind] : undefined;
    const name = metadata?.name;
    if (info === undefined || apiVersion !== info.apiVersion) {
      skipped.push(`${String(kind)} ${String(name)} (${manifest.source})`);
      continue;
    }
    if (typeof name !== 'string' || name === '') {
      throw new ControlPlaneError(
        `${manifest.source}: ${String(kind)}.metadata.name is missing; every object needs a name`,
      );
    }
    const namespace = metadata?.namespace;
    if (info.namespaced && (typeof namespace !== 'string' || namespace === '')) {
      throw new ControlPlaneError(
        `${manifest.source}: ${String(kind)} ${name}: metadata.namespace is missing; give the manifest a namespace (kustomize's namespace: does it for config/default)`,
      );
    }
    objects.push({
      manifest,
      kind: { ...info, name: kind as string },
      name,
      namespace: info.namespaced ? (namespace as string) : undefined,
    });
  }
  return { objects, skipped };
}

function chooseAccount(
  objects: readonly IdentityObject[],
  wanted: ServiceAccountIdentityOptions['serviceAccount'],
): { namespace: string; name: string } {
  const accounts = objects
    .filter((o) => o.kind.name === 'ServiceAccount')
    .map((o) => ({ namespace: o.namespace ?? '', name: o.name }));
  if (wanted !== undefined) {
    const known = accounts.some((a) => a.namespace === wanted.namespace && a.name === wanted.name);
    if (!known) {
      throw new ControlPlaneError(
        `ServiceAccount ${wanted.namespace}/${wanted.name} is not among the manifests (they declare ${accounts.map((a) => `${a.namespace}/${a.name}`).join(', ') || 'none'})`,
      );
    }
    return wanted;
  }
  const [only] = accounts;
  if (only !== undefined && accounts.length === 1) return only;
  throw new ControlPlaneError(
    accounts.length === 0
      ? 'the manifests declare no ServiceAccount; include config/rbac/service_account.yaml or pass serviceAccount'
      : `the manifests declare ${accounts.length} ServiceAccounts (${accounts.map((a) => `${a.namespace}/${a.name}`).join(', ')}); choose one with serviceAccount: { namespace, name }`,
  );
}

async function apply(kubeConfig: KubeConfig, path: string, object: unknown, what: string): Promise<void> {
  const response = await kubeRequest(
    kubeConfig,
    'PATCH',
    `${path}?fieldManager=kubeforge-testing&force=true`,
    object,
    'application/apply-patch+yaml',
  );
  if (response.status >= 300) {
    let message = response.body.slice(0, 400);
    try {
      message = (JSON.parse(response.body) as { message?: string }).message ?? message;
    } catch {
      // not a Status: keep the body
    }
    throw new ControlPlaneError(`applying ${what} failed with HTTP ${response.status}: ${message}`);
  }
}
