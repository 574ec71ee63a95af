/**
 * `@selectableField` on a real API server: the generated CRD (for the server's own version)
 * installs, and lists filtered by a field selector on a selectable field return only the
 * matching objects, for string, enum, integer and boolean fields. Needs Kubernetes >= 1.31
 * (selectableFields are on by default there); older servers skip, saying so. Run it against a
 * current cluster with KUBEFORGE_USE_EXISTING_CLUSTER=1 KUBECONFIG=...
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createNamespace,
  installCRDs,
  startControlPlane,
  uninstallCRDs,
  type ControlPlane,
  type CustomResourceDefinition,
} from '@kubeforge/testing';
import { parse } from 'yaml';
import { emitCrds, kubeVersionAtLeast, loadProject } from './index.ts';
import { fixtureDir, kubeRequest } from './testing/index.ts';

/** Servers that serve selectableFields without a feature gate. */
const minimumServer = '1.31';

/** The server's `major.minor` (GET /version) and how it names itself. */
async function serverVersion(cp: ControlPlane): Promise<{ minor: string; name: string }> {
  const response = await kubeRequest(cp.kubeConfig, 'GET', '/version');
  const { major, minor, gitVersion } = response.body as {
    major?: string;
    minor?: string;
    gitVersion?: string;
  };
  const name = gitVersion ?? JSON.stringify(response.body);
  if (major && minor) return { minor: `${major}.${minor.replace(/\D+$/, '')}`, name };
  const match = /^v?(\d+)\.(\d+)/.exec(gitVersion ?? '');
  return { minor: match ? `${match[1] ?? ''}.${match[2] ?? ''}` : '0.0', name };
}

describe('selectable fields on a real API server', async () => {
  const cp = await startControlPlane();
  const { minor: version, name } = await serverVersion(cp);
  const supported = kubeVersionAtLeast(version, minimumServer);
  // The shared cluster may hold other runs: a unique group keeps this run's CRD apart.
  const group = `fleet-${Math.random().toString(36).slice(2, 8)}.example.com`;
  let crd: CustomResourceDefinition | undefined;
  let ns = '';
  const ships = (query = ''): string => `/apis/${group}/v1/namespaces/${ns}/ships${query}`;

  before(async () => {
    if (!supported) return;
    const { model, diagnostics } = loadProject({ projectDir: fixtureDir('selectable') });
    assert.deepEqual(diagnostics, []);
    const [file] = emitCrds(model, { kubeVersion: version });
    assert.ok(file);
    const emitted = parse(file.contents) as CustomResourceDefinition & {
      spec: { group: string };
    };
    crd = {
      ...emitted,
      metadata: { ...emitted.metadata, name: `ships.${group}` },
      spec: { ...emitted.spec, group },
    };
    await installCRDs(cp.kubeConfig, [crd]);
    ns = await createNamespace(cp.kubeConfig, 'selectable');
    const fleet = [
      { name: 'a', spec: { class: 'frigate', port: 'brest', crew: 120, active: true } },
      { name: 'b', spec: { class: 'cruiser', port: 'brest', crew: 800, active: false } },
      { name: 'c', spec: { class: 'frigate', port: 'toulon', crew: 120, active: false } },
    ];
    for (const { name, spec } of fleet) {
      const created = await kubeRequest(cp.kubeConfig, 'POST', ships(), {
        apiVersion: `${group}/v1`,
        kind: 'Ship',
        metadata: { name },
        spec,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
  });

  after(async () => {
    if (crd) await uninstallCRDs(cp.kubeConfig, [crd]);
    if (ns !== '') await kubeRequest(cp.kubeConfig, 'DELETE', `/api/v1/namespaces/${ns}`);
    await cp.stop();
  });

  const skip = supported
    ? false
    : `selectableFields need Kubernetes >= ${minimumServer}; this server is ${name} (set KUBEFORGE_USE_EXISTING_CLUSTER=1 and KUBECONFIG to a current cluster)`;

  async function names(selector: string): Promise<readonly string[]> {
    const response = await kubeRequest(
      cp.kubeConfig,
      'GET',
      ships(`?fieldSelector=${encodeURIComponent(selector)}`),
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const items = (response.body as { items: { metadata: { name: string } }[] }).items;
    return items.map((item) => item.metadata.name).sort();
  }

  it('installs the CRD with its selectable fields', { skip }, async () => {
    const response = await kubeRequest(
      cp.kubeConfig,
      'GET',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/ships.${group}`,
    );
    const served = response.body as { spec: { versions: { selectableFields?: { jsonPath: string }[] }[] } };
    assert.deepEqual(
      served.spec.versions[0]?.selectableFields?.map((f) => f.jsonPath),
      ['.spec.class', '.spec.port', '.spec.crew', '.spec.active'],
    );
  });

  it('filters a list on a string field on the server', { skip }, async () => {
    assert.deepEqual(await names('spec.port=brest'), ['a', 'b']);
  });

  it('filters on an enum field, with != too', { skip }, async () => {
    assert.deepEqual(await names('spec.class=frigate'), ['a', 'c']);
    assert.deepEqual(await names('spec.class!=frigate'), ['b']);
  });

  it('filters on integer and boolean fields, and combines selectors', { skip }, async () => {
    assert.deepEqual(await names('spec.crew=120'), ['a', 'c']);
    assert.deepEqual(await names('spec.active=true'), ['a']);
    assert.deepEqual(await names('spec.crew=120,spec.port=toulon'), ['c']);
  });

  it('rejects a field selector on a field that is not selectable', { skip }, async () => {
    const response = await kubeRequest(
      cp.kubeConfig,
      'GET',
      ships(`?fieldSelector=${encodeURIComponent('spec.name=x')}`),
    );
    assert.equal(response.status, 400, JSON.stringify(response.body));
  });
});
