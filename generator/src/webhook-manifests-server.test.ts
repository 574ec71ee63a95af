/**
 * The generated `config/webhook/` tree against a real kube-apiserver: the fixture's manifests,
 * placed in the `config/` tree `kubeforge init` writes, with `config/default` listing the
 * webhook Component and one certificate mode, pass `kubectl apply --dry-run=server -k` in both
 * modes, and kustomize points every webhook and the converted CRD at the prefixed Service in
 * the operator's namespace.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Handlebars from 'handlebars';
import {
  installCRDs,
  startControlPlane,
  type ControlPlane,
  type CustomResourceDefinition,
} from '@kubeforge/testing';
import { parseAllDocuments } from 'yaml';
import { emitCrds, emitRbac, emitWebhooks, loadProject } from './index.ts';
import { fixtureDir, scratchDir } from './testing/index.ts';
import { templatesDir } from './view-models/index.ts';

const deployment = { namespace: 'backup-system', namePrefix: 'backup-' };

/** The fixture's generated manifests inside the config/ tree of a fresh project. */
function writeProject(dir: string): void {
  const initDir = join(templatesDir(), 'project', 'init', 'config');
  const view = { name: 'backup', namespace: deployment.namespace, roleName: 'manager-role' };
  for (const entry of readdirSync(initDir, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.hbs')) continue;
    const target = join(dir, 'config', entry.slice(0, -'.hbs'.length));
    mkdirSync(dirname(target), { recursive: true });
    const template = Handlebars.compile(readFileSync(join(initDir, entry), 'utf8'), { strict: true });
    writeFileSync(target, template(view));
  }
  const { model, diagnostics } = loadProject({ projectDir: fixtureDir('backup-operator') });
  assert.deepEqual(diagnostics, []);
  // The oldest supported server: CEL rules left out, so the tree applies on 1.20 too.
  const crds = emitCrds(model, { kubeVersion: '1.20' });
  for (const file of [...crds, ...emitRbac(model), ...emitWebhooks(model, deployment)]) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.contents);
  }
  const bases = crds.map((f) => `  - ${f.path.slice('config/crd/'.length)}`).join('\n');
  writeFileSync(join(dir, 'config/crd/kustomization.yaml'), `resources:\n${bases}\n`);
}

function useMode(dir: string, mode: 'cert-manager' | 'built-in'): void {
  const path = join(dir, 'config/default/kustomization.yaml');
  const base = readFileSync(path, 'utf8').replace(/\ncomponents:[\s\S]*$/, '\n');
  writeFileSync(path, `${base}components:\n  - ../webhook\n  - ../webhook/${mode}\n`);
}

/** Minimal cert-manager CRDs, so the server knows the Issuer and Certificate kinds. */
function certManagerCrds(): CustomResourceDefinition[] {
  return ['Issuer', 'Certificate'].map((kind) => {
    const plural = `${kind.toLowerCase()}s`;
    return {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.cert-manager.io` },
      spec: {
        group: 'cert-manager.io',
        names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
  });
}

interface BuiltObject {
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  webhooks?: { clientConfig: { service: { name: string; namespace: string; path: string } } }[];
  spec?: { conversion?: { webhook?: { clientConfig: { service: { name: string; namespace: string } } } } };
}

describe('config/webhook on a real API server', () => {
  let cp: ControlPlane;
  let dir: string;
  const kubectl = (...args: string[]): string =>
    execFileSync('kubectl', ['--kubeconfig', cp.kubeconfigPath, ...args], { cwd: dir, encoding: 'utf8' });

  before(async () => {
    cp = await startControlPlane();
    dir = scratchDir('webhook-manifests');
    writeProject(dir);
    await installCRDs(cp.kubeConfig, certManagerCrds());
    // A server-side dry run cannot create the namespace its objects go into.
    kubectl('create', 'namespace', deployment.namespace);
  });

  after(async () => {
    await cp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const mode of ['cert-manager', 'built-in'] as const) {
    it(`config/default with the ${mode} mode passes kubectl apply --dry-run=server -k`, () => {
      useMode(dir, mode);
      const out = kubectl('apply', '--dry-run=server', '-k', 'config/default');
      assert.match(
        out,
        /mutatingwebhookconfiguration\.admissionregistration\.k8s\.io\/backup-mutating-webhook-configuration created \(server dry run\)/,
      );
      assert.match(
        out,
        /validatingwebhookconfiguration\.admissionregistration\.k8s\.io\/backup-validating-webhook-configuration created \(server dry run\)/,
      );
      assert.match(out, /service\/backup-webhook-service created \(server dry run\)/);
      if (mode === 'cert-manager')
        assert.match(out, /certificate\.cert-manager\.io\/backup-serving-cert created/);
      else
        assert.match(out, /clusterrole\.rbac\.authorization\.k8s\.io\/backup-webhook-certificates created/);
    });
  }

  it('points every webhook and the converted CRD at the prefixed Service in the namespace', () => {
    useMode(dir, 'cert-manager');
    const objects = parseAllDocuments(kubectl('kustomize', 'config/default')).map(
      (d) => d.toJS() as BuiltObject,
    );
    const services = [
      ...objects.flatMap((o) => o.webhooks ?? []).map((w) => w.clientConfig.service),
      ...objects.flatMap((o) =>
        o.spec?.conversion?.webhook ? [o.spec.conversion.webhook.clientConfig.service] : [],
      ),
    ];
    assert.equal(services.length, 3);
    for (const service of services) {
      assert.deepEqual([service.name, service.namespace], ['backup-webhook-service', deployment.namespace]);
    }
    const certificate = objects.find((o) => o.kind === 'Certificate');
    const injected = objects.filter(
      (o) => o.metadata.annotations?.['cert-manager.io/inject-ca-from'] !== undefined,
    );
    assert.deepEqual(
      injected.map((o) => o.metadata.annotations?.['cert-manager.io/inject-ca-from']),
      injected.map(() => `${certificate?.metadata.namespace ?? ''}/${certificate?.metadata.name ?? ''}`),
    );
    assert.deepEqual(injected.map((o) => o.kind).sort(), [
      'CustomResourceDefinition',
      'MutatingWebhookConfiguration',
      'ValidatingWebhookConfiguration',
    ]);
  });
});
