/**
 * The packages as a registry would ship them: the five workspaces packed with `npm pack`
 * (which runs their prepack/postpack scripts), installed from the tarballs into a fresh
 * project (third-party dependencies from the registry), and the installed `kubeforge` bin
 * run on its own to scaffold, extend and generate an operator project. Proves the tarballs
 * carry what an installed CLI needs (built dist, the generator's templates, the control plane
 * setup script, an executable bin) and nothing from tests, and that a project scaffolded by
 * an installed CLI depends on version ranges rather than on a checkout. The scaffolded
 * project's own `npm install` is not run: it would need the packages on the registry.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { tempDir } from './support/project.ts';
import { sequentialSteps } from './support/steps.ts';
import { baseEnv, repoRoot } from './support/paths.ts';
import { shOk, type ShellResult } from './support/shell.ts';

const workspaces = [
  'packages/runtime',
  'packages/api',
  'packages/testing',
  'generator',
  'packages/cli',
] as const;
const packageNames = [
  '@kubeforge/runtime',
  '@kubeforge/api',
  '@kubeforge/testing',
  '@kubeforge/generator',
  '@kubeforge/cli',
];
/** The copy of templates/ that the generator's prepack makes and its postpack removes. */
const templatesCopy = join(repoRoot, 'generator', 'templates');

const { version } = JSON.parse(readFileSync(join(repoRoot, 'packages/cli/package.json'), 'utf8')) as {
  version: string;
};
const rootDevDependencies = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  }
).devDependencies;

/** What `npm pack --json` reports for one package. */
interface PackResult {
  readonly name: string;
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

function quote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Every file under `dir`, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** Runs `bin` directly (through its shebang, as a shell would), never rejecting on exit codes. */
function runBin(
  bin: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function assertOk(result: ShellResult, what: string): void {
  assert.equal(
    result.code,
    0,
    `${what} exited with ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
  );
}

describe('packaging: the packages installed from their tarballs', { timeout: 600_000 }, () => {
  const workdir = tempDir('packaging');
  const tarballs = join(workdir, 'tarballs');
  const consumer = join(workdir, 'consumer');
  const project = join(consumer, 'op');
  const kubeforgeBin = join(consumer, 'node_modules', '.bin', 'kubeforge');
  // Node 24 first on PATH: the installed bin's `#!/usr/bin/env node` picks it up.
  const env = baseEnv();
  const packed = new Map<string, PackResult>();

  const kubeforge = (args: readonly string[], cwd = project): Promise<ShellResult> =>
    runBin(kubeforgeBin, args, cwd, env);

  before(async () => {
    mkdirSync(tarballs, { recursive: true });
    mkdirSync(consumer, { recursive: true });
    const pack = await shOk(
      `npm pack --json ${workspaces.map((w) => `--workspace ${w}`).join(' ')} --pack-destination ${quote(tarballs)}`,
      { cwd: repoRoot, env, timeoutMs: 300_000 },
    );
    // Lifecycle scripts may print before the JSON array.
    const results = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[\n'))) as PackResult[];
    for (const result of results) packed.set(result.name, result);

    writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true })}\n`);
    // @types/node too, so the scaffolded project type-checks as it would after its own install.
    const specs = [
      ...results.map((r) => quote(join(tarballs, r.filename))),
      quote(`@types/node@${rootDevDependencies['@types/node'] ?? '^24'}`),
    ];
    await shOk(`npm install --no-audit --no-fund --prefer-offline ${specs.join(' ')}`, {
      cwd: consumer,
      env,
      timeoutMs: 300_000,
    });
  });

  after(() => {
    rmSync(workdir, { recursive: true, force: true });
    // postpack removes it; a pack that failed half-way may not have.
    rmSync(templatesCopy, { recursive: true, force: true });
  });

  describe('the tarballs', () => {
    test('all five packages are packed', () => {
      assert.deepEqual([...packed.keys()].sort(), [...packageNames].sort());
    });

    test('each holds its built dist and nothing from tests', () => {
      for (const [name, result] of packed) {
        const files = result.files.map((f) => f.path);
        for (const required of ['package.json', 'dist/index.js', 'dist/index.d.ts']) {
          assert.ok(files.includes(required), `${name} lacks ${required}`);
        }
        // Templates are data (the project template has a test/ of its own), so only code counts.
        const fromTests = files.filter(
          (f) =>
            f.startsWith('src/') ||
            (f.startsWith('dist/') &&
              /\.test\.|\/(testdata|__golden__|testing)\/|tsbuildinfo$|\/test-project\./.test(f)),
        );
        assert.deepEqual(fromTests, [], `${name} ships files of its tests`);
      }
    });

    test('the generator carries every template of the repository', () => {
      const files = packed.get('@kubeforge/generator')?.files.map((f) => f.path) ?? [];
      const templates = files
        .filter((f) => f.startsWith('templates/'))
        .map((f) => f.slice('templates/'.length));
      assert.deepEqual(templates.sort(), filesUnder(join(repoRoot, 'templates')));
    });

    test('the CLI carries its bin and @kubeforge/testing its control plane setup script', () => {
      const cli = packed.get('@kubeforge/cli')?.files.map((f) => f.path) ?? [];
      assert.ok(cli.includes('bin/kubeforge') && cli.includes('dist/bin/kubeforge.js'));
      const testing = packed.get('@kubeforge/testing')?.files.map((f) => f.path) ?? [];
      for (const script of [
        'setup-control-plane',
        'build-kube-apiserver-1.20',
        'install-provided-kube-apiserver',
      ]) {
        assert.ok(testing.includes(`scripts/${script}.sh`), `${script}.sh is not packed`);
      }
    });

    test('@kubeforge/api carries every group/version built, and the provenance of its data', () => {
      const files = packed.get('@kubeforge/api')?.files.map((f) => f.path) ?? [];
      for (const module of ['core/v1', 'apps/v1', 'batch/v1', 'meta/v1']) {
        for (const file of ['index.js', 'index.d.ts', 'types.d.ts']) {
          assert.ok(files.includes(`dist/${module}/${file}`), `@kubeforge/api lacks dist/${module}/${file}`);
        }
      }
      for (const module of ['core/v1', 'apps/v1', 'batch/v1', 'meta/v1']) {
        assert.ok(files.includes(`schemas/${module}.json`), `@kubeforge/api lacks schemas/${module}.json`);
      }
      assert.ok(files.some((f) => /^openapi\/v[\d.]+\/PROVENANCE\.md$/.test(f)));
      assert.ok(
        !files.some((f) => f.startsWith('openapi/') && f.endsWith('.json') && !f.endsWith('version.json')),
      );
    });

    test('packing leaves no copy of the templates in the checkout', () => {
      assert.equal(existsSync(templatesCopy), false, `${templatesCopy} is left over`);
    });
  });

  describe('the installed CLI', () => {
    test('its bin runs on its own: a node shebang, executable', async () => {
      const target = join(consumer, 'node_modules/@kubeforge/cli/bin/kubeforge');
      assert.equal(readFileSync(target, 'utf8').split('\n')[0], '#!/usr/bin/env node');
      assert.notEqual(statSync(target).mode & 0o111, 0, 'the bin is not executable');
      const result = await kubeforge(['version'], consumer);
      assertOk(result, 'kubeforge version');
      assert.match(result.stdout, new RegExp(`^kubeforge ${version.replaceAll('.', '\\.')}\\b`));
    });

    test('setup-control-plane runs the script @kubeforge/testing ships', async () => {
      // Binaries the script finds in place, so it stops at its "already installed" check.
      const script = join(consumer, 'node_modules/@kubeforge/testing/scripts/build-kube-apiserver-1.20.sh');
      const buildId = await shOk(
        `eval "$(grep -E '^(KUBE_VERSION|BUILD_ID)=' ${quote(script)})"; printf %s "$BUILD_ID"`,
        { cwd: consumer, env },
      );
      assert.notEqual(buildId.stdout, '', 'the script no longer sets BUILD_ID');
      const binaries = join(workdir, 'control-plane');
      mkdirSync(binaries);
      for (const name of ['kube-apiserver', 'etcd']) {
        writeFileSync(join(binaries, name), `#!/bin/sh\necho "${name} (stub)"\n`);
        chmodSync(join(binaries, name), 0o755);
      }
      writeFileSync(join(binaries, 'BUILD_ID'), `${buildId.stdout}\n`);
      const result = await runBin(kubeforgeBin, ['setup-control-plane'], consumer, {
        ...env,
        KUBEFORGE_CONTROL_PLANE_DIR: binaries,
      });
      assertOk(result, 'kubeforge setup-control-plane');
      assert.match(result.stdout + result.stderr, /already installed in .*control-plane/);
      assert.match(result.stdout + result.stderr, /kube-apiserver \(stub\)/);
      assert.match(
        result.stdout + result.stderr,
        /not in a kubeforge checkout and KUBEFORGE_SHARED_DIR is unset/,
      );
    });
  });

  describe('a project scaffolded by the installed CLI', () => {
    /** Steps build on each other: after a failure the rest are skipped, naming the failed step. */
    const step = sequentialSteps();
    const crd = join(project, 'config/crd/bases/apps.example.com_widgets.yaml');
    const widgetTypes = join(project, 'src/apis/apps.example.com/v1alpha1/widget.ts');

    step('init renders the project templates and depends on released versions, not file: paths', async () => {
      assertOk(
        await kubeforge(['init', 'op', '--domain', 'example.com', '--skip-install'], consumer),
        'init',
      );
      const text = readFileSync(join(project, 'package.json'), 'utf8');
      assert.doesNotMatch(text, /file:/);
      const manifest = JSON.parse(text) as {
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
      };
      const specs = { ...manifest.dependencies, ...manifest.devDependencies };
      for (const name of packageNames) assert.equal(specs[name], `^${version}`, name);
      for (const file of [
        'tsconfig.json',
        'Dockerfile',
        '.gitignore',
        'src/main.ts',
        'config/rbac/role.yaml',
      ]) {
        assert.ok(existsSync(join(project, file)), `init did not write ${file}`);
      }
    });

    step('create api renders the API, the controller scaffold and the typed client', async () => {
      assertOk(
        await kubeforge(['create', 'api', '--group', 'apps', '--version', 'v1alpha1', '--kind', 'Widget']),
        'create api',
      );
      for (const file of [
        widgetTypes,
        crd,
        join(project, 'src/controllers/widget.controller.ts'),
        join(project, 'src/generated/apps.example.com/v1alpha1/widget.ts'),
      ]) {
        assert.ok(existsSync(file), `create api did not write ${relative(project, file)}`);
      }
    });

    step('generate writes the CRD of an edited API', async () => {
      const source = readFileSync(widgetTypes, 'utf8');
      const anchor = '  replicas?: int32;\n';
      assert.ok(source.includes(anchor), 'the scaffolded WidgetSpec changed; update this test');
      writeFileSync(
        widgetTypes,
        source.replace(
          anchor,
          `${anchor}\n  /**\n   * A colour.\n   * @maxLength 16\n   */\n  colour?: string;\n`,
        ),
      );
      rmSync(crd);
      assertOk(await kubeforge(['generate']), 'generate');
      assert.ok(existsSync(crd), 'generate did not write the CRD');
      const written = parse(readFileSync(crd, 'utf8')) as {
        spec: {
          versions: {
            name: string;
            schema: {
              openAPIV3Schema: {
                properties: { spec: { properties: Record<string, { maxLength?: number }> } };
              };
            };
          }[];
        };
      };
      const colour = written.spec.versions.find((v) => v.name === 'v1alpha1')?.schema.openAPIV3Schema
        .properties.spec.properties.colour;
      assert.deepEqual(colour, { type: 'string', description: 'A colour.', maxLength: 16 });
    });

    step('the project uses the built-in kinds of the installed @kubeforge/api', async () => {
      writeFileSync(
        join(project, 'src/controllers/builtins.ts'),
        [
          "import { createResourceClient, type KubeConfig, type ResourceClient } from '@kubeforge/runtime';",
          "import { deployments, type Deployment } from '@kubeforge/api/apps/v1';",
          "import type { ConfigMap } from '@kubeforge/api/core/v1';",
          '',
          'export function deploymentClient(kubeConfig: KubeConfig): ResourceClient<Deployment> {',
          '  return createResourceClient(kubeConfig, deployments);',
          '}',
          "export const settings: ConfigMap = { metadata: { name: 'settings' }, data: { mode: 'fast' } };",
          '',
        ].join('\n'),
      );
      const loaded = await shOk(
        `node --input-type=module -e "const m = await import('@kubeforge/api/apps/v1'); console.log(m.deployments.plural, m.deployments.namespaced)"`,
        { cwd: consumer, env },
      );
      assert.equal(loaded.stdout.trim(), 'deployments true');
    });

    step('generate embeds a built-in type with the schemas of the installed @kubeforge/api', async () => {
      const source = readFileSync(widgetTypes, 'utf8');
      const anchor = '  replicas?: int32;\n';
      writeFileSync(
        widgetTypes,
        `import type { PodTemplateSpec } from '@kubeforge/api/core/v1';\n${source.replace(
          anchor,
          `${anchor}\n  /** The pods of a widget. */\n  template?: PodTemplateSpec;\n`,
        )}`,
      );
      assertOk(await kubeforge(['generate']), 'generate');
      const written = parse(readFileSync(crd, 'utf8')) as {
        spec: { versions: { schema: { openAPIV3Schema: { properties: { spec: unknown } } } }[] };
      };
      const template = (
        written.spec.versions[0]?.schema.openAPIV3Schema.properties.spec as {
          properties: Record<string, { description?: string; properties?: Record<string, unknown> }>;
        }
      ).properties.template;
      assert.equal(template?.description, 'The pods of a widget.');
      assert.deepEqual(template.properties?.metadata, {
        description:
          "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        type: 'object',
        properties: {
          annotations: { type: 'object', additionalProperties: { type: 'string' } },
          finalizers: { type: 'array', items: { type: 'string' } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          name: { type: 'string' },
          namespace: { type: 'string' },
        },
      });
    });

    step('the project type-checks against the installed packages', async () => {
      await shOk('tsc -p tsconfig.json --noEmit', { cwd: project, env, timeoutMs: 120_000 });
    });
  });
});
