import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { RequestOptions } from 'node:https';
import { join } from 'node:path';
import { test } from 'node:test';
import { ClientUsageError } from './errors.ts';
import { loadInClusterKubeConfig, loadKubeConfig } from './kube-config.ts';

function serviceAccountDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeforge-sa-'));
  for (const [name, contents] of Object.entries(files)) writeFileSync(join(dir, name), contents);
  return dir;
}

test('KUBEFORGE_SERVICE_ACCOUNT_DIR loads the in-cluster layout from that directory', async (t) => {
  const dir = serviceAccountDir({ token: 'token-1', 'ca.crt': 'not checked here', namespace: 'ops\n' });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const kubeConfig = loadKubeConfig({
    KUBEFORGE_SERVICE_ACCOUNT_DIR: dir,
    KUBERNETES_SERVICE_HOST: '127.0.0.1',
    KUBERNETES_SERVICE_PORT: '6443',
    KUBECONFIG: '/nonexistent/ignored',
  });
  assert.equal(kubeConfig.getCurrentCluster()?.server, 'https://127.0.0.1:6443');
  assert.equal(kubeConfig.getCurrentCluster()?.caFile, join(dir, 'ca.crt'));
  assert.equal(kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace, 'ops');
  const authorization = async (): Promise<unknown> => {
    const options: RequestOptions = {};
    await kubeConfig.applyToHTTPSOptions(options);
    return (options.headers as Record<string, unknown> | undefined)?.Authorization;
  };
  assert.equal(await authorization(), 'Bearer token-1');
});

test('IPv6 service hosts are bracketed', (t) => {
  const dir = serviceAccountDir({ token: 't', 'ca.crt': 'c' });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const kubeConfig = loadInClusterKubeConfig({
    dir,
    env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' },
  });
  assert.equal(kubeConfig.getCurrentCluster()?.server, 'https://[fd00::1]:443');
});

test('a missing host or token file is a usage error saying what to set', (t) => {
  const dir = serviceAccountDir({ 'ca.crt': 'c' });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.throws(
    () => loadInClusterKubeConfig({ dir, env: {} }),
    (error: unknown) => {
      assert.ok(error instanceof ClientUsageError);
      assert.match(error.message, /needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT/);
      return true;
    },
  );
  assert.throws(
    () =>
      loadInClusterKubeConfig({ dir, env: { KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '1' } }),
    new RegExp(`${join(dir, 'token')} does not exist`),
  );
});
