import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { kubeforgeSource } from '../project/checkout.ts';
import { planInit, validateInitOptions, type InitView } from './init.ts';

const view: InitView = {
  name: 'website-operator',
  domain: 'example.com',
  namespace: 'website-operator-system',
  roleName: 'manager-role',
  kubeforgeVersion: '0.1.0',
};

function plannedFiles(): ReadonlyMap<string, string> {
  return new Map(planInit(view, kubeforgeSource()).map((f) => [f.path, f.contents]));
}

test('init plans the whole project layout', () => {
  const files = plannedFiles();
  for (const path of [
    'package.json',
    'tsconfig.json',
    'kubeforge.json',
    'README.md',
    'Dockerfile',
    '.gitignore',
    '.dockerignore',
    'src/main.ts',
    'src/apis/.gitkeep',
    'src/controllers/.gitkeep',
    'test/operator.test.ts',
    'config/crd/kustomization.yaml',
    'config/rbac/role.yaml',
    'config/rbac/service_account.yaml',
    'config/rbac/role_binding.yaml',
    'config/manager/manager.yaml',
    'config/samples/kustomization.yaml',
    'config/default/kustomization.yaml',
  ]) {
    assert.ok(files.has(path), `missing ${path}`);
  }
});

test('main.ts has both registration markers, with the manager in scope of the second', () => {
  const main = plannedFiles().get('src/main.ts') ?? '';
  assert.match(main, /^\/\/ \+kubeforge:scaffold:imports$/m);
  assert.match(
    main,
    /function registerControllers\(manager: Manager\): void \{\n {2}\/\/ \+kubeforge:scaffold:controllers\n\}/,
  );
});

test('from a checkout, kubeforge packages are file: dependencies on it', () => {
  const source = kubeforgeSource();
  assert.ok(source.checkout !== undefined, 'tests run from a checkout');
  const manifest = JSON.parse(plannedFiles().get('package.json') ?? '{}') as {
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  assert.equal(manifest.dependencies['@kubeforge/runtime'], `file:${source.checkout}/packages/runtime`);
  assert.equal(manifest.dependencies['@kubeforge/api'], `file:${source.checkout}/packages/api`);
  assert.equal(manifest.devDependencies['@kubeforge/cli'], `file:${source.checkout}/packages/cli`);
  assert.deepEqual(Object.keys(manifest.scripts).sort(), ['build', 'generate', 'manifests', 'start', 'test']);
});

test('tsconfig is strict, nodenext, and erasable-syntax only', () => {
  const tsconfig = JSON.parse(plannedFiles().get('tsconfig.json') ?? '{}') as {
    compilerOptions: Record<string, unknown>;
  };
  assert.equal(tsconfig.compilerOptions.strict, true);
  assert.equal(tsconfig.compilerOptions.module, 'nodenext');
  assert.equal(tsconfig.compilerOptions.rewriteRelativeImportExtensions, true);
  assert.equal(tsconfig.compilerOptions.erasableSyntaxOnly, true);
});

test('the Deployment runs non-root, read-only, without capabilities, with probes', () => {
  const documents = (plannedFiles().get('config/manager/manager.yaml') ?? '')
    .split(/^---$/m)
    .map((d) => parse(d) as unknown);
  const deployment = documents.find((d) => (d as { kind?: string }).kind === 'Deployment') as {
    spec: {
      template: { spec: { securityContext: Record<string, unknown>; containers: Record<string, unknown>[] } };
    };
  };
  const pod = deployment.spec.template.spec;
  assert.equal(pod.securityContext.runAsNonRoot, true);
  const container = pod.containers[0] as {
    securityContext: {
      readOnlyRootFilesystem: boolean;
      allowPrivilegeEscalation: boolean;
      capabilities: { drop: string[] };
    };
    livenessProbe: { httpGet: { path: string } };
    readinessProbe: { httpGet: { path: string } };
  };
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
  assert.equal(container.livenessProbe.httpGet.path, '/healthz');
  assert.equal(container.readinessProbe.httpGet.path, '/readyz');
});

test('the default kustomization installs CRDs, RBAC, the manager and its metrics Service in the project namespace', () => {
  const kustomization = parse(plannedFiles().get('config/default/kustomization.yaml') ?? '') as {
    namespace: string;
    namePrefix: string;
    resources: string[];
  };
  assert.equal(kustomization.namespace, 'website-operator-system');
  assert.equal(kustomization.namePrefix, 'website-operator-');
  assert.deepEqual(kustomization.resources, ['../crd', '../rbac', '../manager', 'metrics_service.yaml']);
});

test('metrics are served on their own port, behind the review roles, readable with metrics-reader', () => {
  const files = plannedFiles();
  const rbac = parse(files.get('config/rbac/kustomization.yaml') ?? '') as { resources: string[] };
  for (const file of [
    'metrics_auth_role.yaml',
    'metrics_auth_role_binding.yaml',
    'metrics_reader_role.yaml',
  ]) {
    assert.ok(rbac.resources.includes(file), `config/rbac lists ${file}`);
    assert.ok(files.has(`config/rbac/${file}`));
  }
  const reader = parse(files.get('config/rbac/metrics_reader_role.yaml') ?? '') as { rules: unknown[] };
  assert.deepEqual(reader.rules, [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]);
  const service = parse(files.get('config/default/metrics_service.yaml') ?? '') as {
    spec: { ports: { port: number; targetPort: string }[] };
  };
  assert.deepEqual(
    service.spec.ports.map((p) => [p.port, p.targetPort]),
    [[8443, 'metrics']],
  );
  for (const path of [
    'config/prometheus/monitor.yaml',
    'config/prometheus/kustomization.yaml',
    'config/network-policy/allow-metrics-traffic.yaml',
    'config/network-policy/kustomization.yaml',
  ]) {
    assert.ok(files.has(path), `missing ${path}`);
  }
  assert.match(files.get('config/manager/manager.yaml') ?? '', /- --metrics-bind-address=:8443/);
});

test('init options: the name defaults to the directory, and is validated', () => {
  assert.deepEqual(validateInitOptions('/tmp/My Operator', 'example.com', undefined), {
    name: 'my-operator',
  });
  assert.throws(() => validateInitOptions('/tmp/x', 'example.com', 'Bad_Name'), /project name "Bad_Name"/);
  assert.throws(() => validateInitOptions('/tmp/x', 'EXAMPLE', undefined), /--domain "EXAMPLE"/);
});
