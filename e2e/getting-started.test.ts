/**
 * The user journey of docs/getting-started.md against the real local control plane: every
 * shell command of the guide, in order, as a user types it (through bash, in the project
 * directory), with the file edits the guide describes in between. Checks what users see
 * through kubectl (printer columns, short names), that the controller reconciles and cleans
 * up, that regenerating keeps user code untouched, and that imported kinds can be watched.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { installCRDs, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import { DocWalk } from './support/doc-commands.ts';
import { sequentialSteps } from './support/steps.ts';
import { baseEnv, gettingStarted, repoRoot, testdata } from './support/paths.ts';
import {
  background,
  eventually,
  freePort,
  sh,
  shOk,
  type Background,
  type ShellResult,
} from './support/shell.ts';

const websiteTypes = 'src/apis/web.example.com/v1/website.ts';
const websiteController = 'src/controllers/website.controller.ts';
const websiteSample = 'config/samples/web.example.com_v1_website.yaml';

/** The first ```yaml block after `marker` in the guide: a file the guide asks the user to save. */
function yamlBlockAfter(markdown: string, marker: string): string {
  const from = markdown.indexOf(marker);
  const block = /```yaml\n([\s\S]*?)```/.exec(markdown.slice(from));
  assert.ok(from >= 0 && block?.[1] !== undefined, `the guide has a yaml block after ${marker}`);
  return block[1];
}

describe('getting started: from an empty directory to a reconciling operator', { timeout: 900_000 }, () => {
  const doc = new DocWalk(gettingStarted);
  const workdir = mkdtempSync(join(tmpdir(), 'kubeforge-e2e-'));
  const project = join(workdir, 'website-operator');
  let cp: ControlPlane;
  let env: NodeJS.ProcessEnv;
  let operator: Background | undefined;
  let watcher: Background | undefined;

  /** Runs the guide's next command, which must be `command`, in `cwd`; fails on a non-zero exit. */
  const run = async (command: string, cwd = project): Promise<ShellResult> =>
    shOk(doc.take(command), { cwd, env });

  /**
   * One step of the journey. Steps build on each other: after a failure the rest are
   * skipped (naming the failed step) instead of failing for the same cause.
   */
  const step = sequentialSteps();
  /** How many times `kubeforge run` has started the operator so far. */
  const operatorStarts = (): number =>
    (operator?.output().match(/^Started the operator \(pid \d+\)\.$/gm) ?? []).length;
  const waitForRestart = (before: number, what: string): Promise<true> =>
    eventually(what, 180_000, () => Promise.resolve(operatorStarts() > before ? true : undefined));
  const kubectlOutput = async (args: string): Promise<string> =>
    (await shOk(`kubectl ${args}`, { cwd: project, env })).stdout;

  before(async () => {
    cp = await startControlPlane();
    env = baseEnv({ KUBECONFIG: cp.kubeconfigPath, KUBEFORGE_HOME: repoRoot, LOG_LEVEL: 'info' });
  });

  after(async () => {
    if (cp.local === undefined) {
      // An existing cluster outlives the test: remove what the guide created, while the
      // operator still runs to release its finalizers.
      for (const command of [
        'kubectl delete websites --all --ignore-not-found --timeout=60s',
        'kubectl delete -k config/samples --ignore-not-found --timeout=60s',
        'kubectl delete certificates.cert-manager.io --all --ignore-not-found',
        'kubectl delete -k config/default --ignore-not-found --wait=false',
        'kubectl delete crd certificates.cert-manager.io --ignore-not-found --wait=false',
      ]) {
        await sh(command, { cwd: project, env });
      }
    }
    await watcher?.stop();
    await operator?.stop();
    if (operator !== undefined) {
      // npm itself dies of the signal; the operator under it must shut down gracefully.
      assert.match(
        operator.output(),
        /"msg":"manager stopped"/,
        'the operator shuts down cleanly on SIGTERM',
      );
    }
    await cp.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  step('init creates a project and installs its dependencies offline', async () => {
    const exported = doc.take('export KUBEFORGE_HOME=~/src/kubeforge');
    assert.match(exported, /^export KUBEFORGE_HOME=/); // the suite points it at this checkout instead
    // Each command runs in its own shell: the guide's PATH export is applied to the environment.
    doc.take('export PATH="$KUBEFORGE_HOME/packages/cli/bin:$PATH"');
    env = { ...env, PATH: `${join(repoRoot, 'packages/cli/bin')}:${env.PATH ?? ''}` };
    await run('kubeforge init website-operator --domain example.com', workdir);
    doc.take('cd website-operator');
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    assert.equal(manifest.dependencies['@kubeforge/runtime'], `file:${join(repoRoot, 'packages/runtime')}`);
    assert.equal(manifest.dependencies['@kubeforge/api'], `file:${join(repoRoot, 'packages/api')}`);
    const kubeforgeJson = JSON.parse(readFileSync(join(project, 'kubeforge.json'), 'utf8')) as {
      domain: string;
    };
    assert.equal(kubeforgeJson.domain, 'example.com');
  });

  step('create api adds a namespaced kind with status and a cluster-scoped kind', async () => {
    const website = await run('npx kubeforge create api --group web --version v1 --kind Website');
    assert.match(website.stderr, /scaffolded src\/controllers\/website\.controller\.ts/);
    await run('npx kubeforge create api --group platform --version v1alpha1 --kind Tenant --scope Cluster');
    const main = readFileSync(join(project, 'src/main.ts'), 'utf8');
    assert.match(main, /registerWebsiteController\(manager\);/);
    assert.match(main, /registerTenantController\(manager\);/);
    const tenantCrd = readFileSync(
      join(project, 'config/crd/bases/platform.example.com_tenants.yaml'),
      'utf8',
    );
    assert.match(tenantCrd, /scope: Cluster/);
  });

  step('the edited Website types generate a CRD with printer columns and a short name', async () => {
    copyFileSync(join(testdata, 'website/website.ts'), join(project, websiteTypes));
    await run('npx kubeforge generate');
    const crd = readFileSync(join(project, 'config/crd/bases/web.example.com_websites.yaml'), 'utf8');
    assert.match(crd, /shortNames:\n\s+- ws/);
    assert.match(crd, /name: ConfigMap/);
  });

  step('the reconcile builds, and its @rbac tags reach the role', async () => {
    copyFileSync(join(testdata, 'website/website.controller.ts'), join(project, websiteController));
    copyFileSync(join(testdata, 'website/sample.yaml'), join(project, websiteSample));
    await run('npx kubeforge generate');
    await run('npm run build');
    const role = readFileSync(join(project, 'config/rbac/role.yaml'), 'utf8');
    assert.match(role, /configmaps/);
  });

  step("the project's own test passes against a real API server", async () => {
    await run('npx kubeforge setup-control-plane');
    const result = await run('npm test');
    assert.match(result.stdout, /(ℹ|#) pass 1\n/);
    assert.match(result.stdout, /(ℹ|#) fail 0\n/);
  });

  step('kubeforge run installs the CRDs and the operator becomes ready', async () => {
    const port = await freePort();
    operator = background(doc.take('npx kubeforge run'), {
      cwd: project,
      env: { ...env, PROBE_ADDRESS: `127.0.0.1:${port}` },
    });
    await eventually('the operator to report ready', 120_000, async () =>
      (await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? true : undefined,
    );
    await shOk(
      'kubectl wait --for=condition=Established crd/websites.web.example.com crd/tenants.platform.example.com --timeout=60s',
      { cwd: project, env },
    );
  });

  step('samples are reconciled: status, owned ConfigMap, printer columns, short names', async () => {
    await run('kubectl apply -k config/samples');
    await eventually('hello to be Ready', 60_000, async () => {
      const ready = await kubectlOutput(
        `get website hello -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'`,
      );
      return ready === 'True' ? true : undefined;
    });
    const table = (await run('kubectl get websites')).stdout;
    assert.match(table, /^NAME\s+TITLE\s+CONFIGMAP\s+READY\s+AGE/m);
    assert.match(table, /^hello\s+Hello from kubeforge\s+hello-site\s+True\s+/m);
    const short = (await run('kubectl get ws')).stdout;
    assert.match(short, /^hello\s+Hello from kubeforge\s+hello-site\s+True/m);

    const owner = JSON.parse(
      await kubectlOutput('get configmap hello-site -o jsonpath={.metadata.ownerReferences}'),
    ) as {
      kind: string;
      name: string;
      controller: boolean;
    }[];
    assert.deepEqual(
      owner.map((o) => [o.kind, o.name, o.controller]),
      [['Website', 'hello', true]],
    );

    await eventually('the cluster-scoped tenant to be Ready', 60_000, async () => {
      const ready = await kubectlOutput(
        `get tenant tenant-sample -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'`,
      );
      return ready === 'True' ? true : undefined;
    });
    const tenants = (await run('kubectl get tenants')).stdout;
    assert.match(tenants, /^NAME\s+MESSAGE\s+READY\s+AGE/m);
    assert.match(tenants, /^tenant-sample\s+Hello from tenant-sample\s+True\s+/m);
    assert.doesNotMatch(tenants, /NAMESPACE/);
  });

  step('a spec change is reconciled again', async () => {
    await run(`kubectl patch website hello --type merge -p '{"spec":{"title":"Hello again"}}'`);
    await eventually('status.observedGeneration 2', 60_000, async () =>
      (await kubectlOutput('get website hello -o jsonpath={.status.observedGeneration}')) === '2'
        ? true
        : undefined,
    );
    const page = (await run(`kubectl get configmap hello-site -o jsonpath='{.data.index\\.html}'`)).stdout;
    assert.match(page, /<title>Hello again<\/title>/);
  });

  step(
    'a new field with a default: regenerated, user code untouched, default applied by the server',
    async () => {
      const controllerBefore = readFileSync(join(project, websiteController), 'utf8');
      const mainBefore = readFileSync(join(project, 'src/main.ts'), 'utf8');
      const types = readFileSync(join(project, websiteTypes), 'utf8');
      const withTheme = types.replace(
        '  body: string;\n}',
        '  body: string;\n\n  /**\n   * The colour scheme of the page.\n   * @default light\n   */\n  theme?: string;\n}',
      );
      assert.notEqual(withTheme, types);
      const restarts = operatorStarts();
      writeFileSync(join(project, websiteTypes), withTheme);

      await waitForRestart(restarts, 'kubeforge run to regenerate and restart after the new field');
      assert.equal(readFileSync(join(project, websiteController), 'utf8'), controllerBefore);
      assert.equal(readFileSync(join(project, 'src/main.ts'), 'utf8'), mainBefore);
      assert.match(
        readFileSync(join(project, 'src/generated/web.example.com/v1/website.ts'), 'utf8'),
        /Website/,
      );
      const theme = await eventually('the default to be served', 30_000, async () => {
        const result = await sh(
          `sed 's/name: hello/name: hello-probe/' ${websiteSample} | kubectl create --dry-run=server -f - -o jsonpath='{.spec.theme}'`,
          { cwd: project, env },
        );
        return result.stdout === 'light' ? result.stdout : undefined;
      });
      assert.equal(theme, 'light');
      const created = await run(
        `sed 's/name: hello/name: hello-themed/' ${websiteSample} | kubectl create -f - -o jsonpath='{.spec.theme}'`,
      );
      assert.equal(created.stdout, 'light');
    },
  );

  step('a pod template embedded in the spec is validated at its paths by the server', async () => {
    const types = readFileSync(join(project, websiteTypes), 'utf8');
    const withServer = `import type { PodTemplateSpec } from '@kubeforge/api/core/v1';\n${types}`.replace(
      '  theme?: string;\n}',
      '  theme?: string;\n\n  /**\n   * The pods that serve the site: their labels and annotations are kept.\n   * @maxDescriptionLength 0\n   */\n  server?: PodTemplateSpec;\n}',
    );
    assert.notEqual(withServer, `import type { PodTemplateSpec } from '@kubeforge/api/core/v1';\n${types}`);
    const restarts = operatorStarts();
    const outputBefore = operator?.output().length ?? 0;
    writeFileSync(join(project, websiteTypes), withServer);
    await waitForRestart(restarts, 'kubeforge run to regenerate, apply the CRD and restart');
    assert.doesNotMatch(
      operator?.output().slice(outputBefore) ?? '',
      /crd-too-large/,
      'the capped CRD fits client-side apply',
    );
    writeFileSync(
      join(project, 'served.yaml'),
      yamlBlockAfter(readFileSync(gettingStarted, 'utf8'), '`served.yaml`'),
    );
    const create = doc.take('kubectl create -f served.yaml');
    // kubectl validates against the server's OpenAPI, which learns the new field a moment later.
    const created = await eventually('the new field to be in the served OpenAPI', 60_000, async () => {
      const result = await sh(create, { cwd: project, env });
      return result.stderr.includes('unknown field "server"') ? undefined : result;
    });
    assert.notEqual(created.code, 0, 'an invalid pod template is refused');
    // Older servers name list items without their index (spec.server.spec.containers.name).
    assert.match(created.stderr, /spec\.server\.spec\.containers(\[0\])?\.ports(\[0\])?\.containerPort/);
    // kubectl of servers before 1.25 (no server-side field validation) reports it client-side.
    assert.match(
      created.stderr,
      /spec\.server\.spec\.containers(\[0\])?(\.name: Required value|\): missing required field "name")/,
    );
    const valid = await sh(
      `sed -e 's/containerPort: http/containerPort: 8080/' -e 's/{ image: nginx/{ name: web, image: nginx/' served.yaml | kubectl create -f - -o jsonpath='{.spec.server.metadata.labels.app}'`,
      { cwd: project, env },
    );
    assert.equal(valid.stdout, 'served', `the template's labels are kept: ${valid.stderr}`);
  });

  step('a validating webhook refuses with its field error and warns, served from this machine', async () => {
    const created = await run(
      'npx kubeforge create webhook --group web --version v1 --kind Website --validation',
    );
    assert.match(created.stderr, /scaffolded src\/webhooks\/website-v1\.validation\.ts/);
    assert.match(
      readFileSync(join(project, 'src/main.ts'), 'utf8'),
      /manager\.addWebhook\(websiteV1Validation\);/,
    );
    copyFileSync(
      join(testdata, 'website/website-v1.validation.ts'),
      join(project, 'src/webhooks/website-v1.validation.ts'),
    );
    // The guide's defaults (port 9443, /tmp/k8s-webhook-server/serving-certs) are moved out of
    // the way of other processes through the variables both commands read.
    env = {
      ...env,
      WEBHOOK_PORT: String(await freePort()),
      WEBHOOK_CERT_DIR: join(workdir, 'serving-certs'),
    };
    const installed = await run('npx kubeforge install-webhooks');
    assert.match(installed.stderr, new RegExp(`pointed at https://127\\.0\\.0\\.1:${env.WEBHOOK_PORT}`));
    const url = await kubectlOutput(
      'get validatingwebhookconfigurations -o jsonpath={.items[*].webhooks[*].clientConfig.url}',
    );
    assert.equal(url, `https://127.0.0.1:${env.WEBHOOK_PORT}/validate-web-example-com-v1-website`);

    await operator?.stop();
    assert.match(operator?.output() ?? '', /"msg":"manager stopped"/, 'the first operator stops cleanly');
    const port = await freePort();
    operator = background(doc.take('npx kubeforge run'), {
      cwd: project,
      env: { ...env, PROBE_ADDRESS: `127.0.0.1:${port}` },
    });
    await eventually('the operator with its webhook server to report ready', 120_000, async () =>
      (await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? true : undefined,
    );

    const guide = readFileSync(gettingStarted, 'utf8');
    writeFileSync(join(project, 'blank.yaml'), yamlBlockAfter(guide, '`blank.yaml`'));
    writeFileSync(join(project, 'long-title.yaml'), yamlBlockAfter(guide, '`long-title.yaml`'));
    const createBlank = doc.take('kubectl create -f blank.yaml');
    // The API server loads a new webhook configuration asynchronously.
    const refused = await eventually('the webhook to refuse the blank Website', 30_000, async () => {
      const result = await sh(createBlank, { cwd: project, env });
      if (result.code === 0) await sh('kubectl delete website blank --wait=false', { cwd: project, env });
      return result.code !== 0 ? result : undefined;
    });
    assert.match(
      refused.stderr,
      /The Website "blank" is invalid: spec\.body: Required value: a Website needs a page to serve/,
    );
    assert.equal(await kubectlOutput('get website blank --ignore-not-found'), '');

    const long = await run('kubectl create -f long-title.yaml');
    assert.match(long.stderr, /Warning: spec\.title has 75 characters: search engines show the first 60/);
    assert.match(long.stdout, /website\.web\.example\.com\/long-title created/);
  });

  step('deleting a Website runs its cleanup before it goes', async () => {
    await eventually('hello-themed to be reconciled', 60_000, async () =>
      (await kubectlOutput('get configmap hello-themed-site --ignore-not-found -o name')) !== ''
        ? true
        : undefined,
    );
    await run('kubectl delete website hello');
    const leftover = (await run('kubectl get configmap hello-site --ignore-not-found')).stdout;
    assert.equal(leftover, '');
    assert.equal(await kubectlOutput('get website hello --ignore-not-found'), '');
    assert.match(operator?.output() ?? '', /deleted configmap/);
  });

  step('generate --check passes on the regenerated project', async () => {
    const result = await run('npx kubeforge generate --check');
    assert.match(result.stderr, /up to date/);
  });

  step('an imported third-party kind is watched through its generated informer', async () => {
    await installCRDs(cp.kubeConfig, [join(testdata, 'imports/certificates.crd.yaml')]);
    await run('kubectl get crd certificates.cert-manager.io -o yaml > certificates.crd.yaml');
    const imported = await run('npx kubeforge import certificates.crd.yaml');
    assert.match(imported.stderr, /Imported Certificate \(cert-manager\.io\/v1, Namespaced\)/);
    copyFileSync(join(testdata, 'imports/watch-certificates.ts'), join(project, 'src/watch-certificates.ts'));
    await run('npm run build');
    watcher = background(doc.take('node dist/watch-certificates.js'), { cwd: project, env });
    await watcher.waitForOutput(/^synced: 0 certificate/, 60_000);
    await shOk(`kubectl apply -f ${join(testdata, 'imports/certificate.yaml')}`, { cwd: project, env });
    const line = await watcher.waitForOutput(/^added /, 30_000);
    assert.equal(line, 'added default/example-com: secret example-com-tls, issuer letsencrypt');
  });

  step('kubeforge deploy installs the operator with a hardened Deployment', async () => {
    const context = await run('npx kubeforge image-context');
    assert.match(context.stderr, /Wrote the build context dist\/image\./);
    await run('npx kubeforge deploy --image registry.example.com/website-operator:v0.1.0');
    const deployment = JSON.parse(
      await kubectlOutput(
        'get deployment website-operator-controller-manager -n website-operator-system -o json',
      ),
    ) as {
      spec: {
        template: {
          spec: {
            securityContext: { runAsNonRoot: boolean };
            containers: {
              image: string;
              securityContext: { readOnlyRootFilesystem: boolean; capabilities: { drop: string[] } };
              livenessProbe: { httpGet: { path: string } };
              readinessProbe: { httpGet: { path: string } };
            }[];
          };
        };
      };
    };
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0]!;
    assert.equal(container.image, 'registry.example.com/website-operator:v0.1.0');
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
    assert.equal(container.livenessProbe.httpGet.path, '/healthz');
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');
    const binding = await kubectlOutput(
      'get clusterrolebinding website-operator-manager-rolebinding -o jsonpath={.roleRef.name}',
    );
    assert.equal(binding, 'website-operator-manager-role');
  });

  step('every command of the guide was run', () => {
    assert.deepEqual(doc.remaining(), []);
  });
});
