/**
 * The CLI's contract with its user, through the built binary: help with examples on every
 * command, and for bad input a clear message (what, and how to fix it), a non-zero exit code
 * (2 for usage errors, 1 for the rest) and nothing written.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  createManager,
  fileCertificates,
  noopLogger,
  type Manager,
  type WebhookRegistration,
} from '@kubeforge/runtime';
import {
  createNamespace,
  installCRDs,
  installWebhooks,
  startControlPlane,
  type ControlPlane,
  type InstalledWebhooks,
} from '@kubeforge/testing';
import { parse, parseAllDocuments } from 'yaml';
import { kubeforge, linkDependencies, snapshot, tempDir } from './support/project.ts';
import { baseEnv, kubeforgeBin, testdata } from './support/paths.ts';
import { background, eventually, sh, shOk, type ShellResult } from './support/shell.ts';

const dirs: string[] = [];
function newDir(prefix: string): string {
  const dir = tempDir(prefix);
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('help', () => {
  for (const command of [
    'init',
    'create api',
    'create webhook',
    'generate',
    'manifests',
    'import',
    'install-webhooks',
    'run',
    'install',
    'uninstall',
    'deploy',
    'undeploy',
    'build-installer',
    'helm',
    'image-context',
    'setup-control-plane',
    'version',
  ]) {
    test(`kubeforge ${command} --help shows usage and examples`, async () => {
      const result = await kubeforge([...command.split(' '), '--help'], newDir('help'));
      assert.equal(result.code, 0);
      assert.match(result.stdout, new RegExp(`kubeforge ${command}`));
      assert.match(result.stdout, /Examples:/);
    });
  }

  test('kubeforge version prints the version', async () => {
    const result = await kubeforge(['version'], newDir('version'));
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^kubeforge \d+\.\d+\.\d+/);
  });

  test('kubeforge completion prints a bash completion script', async () => {
    const result = await kubeforge(['completion'], newDir('completion'));
    assert.equal(result.code, 0);
    assert.match(
      result.stdout,
      /complete -o bashdefault -o default -F _kubeforge_yargs_completions kubeforge/,
    );
  });
});

describe('usage errors exit 2 and point at --help', () => {
  test('an unknown command', async () => {
    const result = await kubeforge(['frobnicate'], newDir('usage'));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /error: unknown argument: frobnicate/);
    assert.match(result.stderr, /hint: run `kubeforge --help`/);
  });

  test('an unknown flag writes nothing', async () => {
    const cwd = newDir('usage');
    const result = await kubeforge(['init', 'op', '--domain', 'example.com', '--colour'], cwd);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /error: unknown argument: colour/);
    assert.match(result.stderr, /hint: run `kubeforge init --help`/);
    assert.equal(existsSync(join(cwd, 'op')), false);
  });

  test('a missing required option', async () => {
    const result = await kubeforge(['init', 'op'], newDir('usage'));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing required argument: domain/);
  });

  test('create without what to create', async () => {
    const result = await kubeforge(['create'], newDir('usage'));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /kubeforge create api/);
  });
});

describe('init', () => {
  test('an invalid domain is rejected before anything is written', async () => {
    const cwd = newDir('init');
    const result = await kubeforge(['init', 'op', '--domain', 'Example_COM'], cwd);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: --domain "Example_COM" must be lowercase labels/);
    assert.match(result.stderr, /hint: .*--domain example\.com/);
    assert.equal(existsSync(join(cwd, 'op')), false);
  });

  test('an invalid project name names the flag that fixes it', async () => {
    const result = await kubeforge(
      ['init', 'op', '--domain', 'example.com', '--name', 'My_Operator'],
      newDir('init'),
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /project name "My_Operator" must consist of lowercase letters/);
  });

  test('files in the way: all conflicts listed, nothing written', async () => {
    const cwd = newDir('init');
    writeFileSync(join(cwd, 'README.md'), 'mine\n');
    writeFileSync(join(cwd, 'Dockerfile'), 'FROM scratch\n');
    const before = snapshot(cwd);
    const result = await kubeforge(
      ['init', '--domain', 'example.com', '--name', 'op', '--skip-install'],
      cwd,
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: files already exist: Dockerfile, README\.md/);
    assert.match(result.stderr, /nothing was written/);
    assert.deepEqual(snapshot(cwd), before);
  });

  test('a directory that already holds a project', async () => {
    const cwd = newDir('init');
    assert.equal((await kubeforge(['init', 'op', '--domain', 'example.com', '--skip-install'], cwd)).code, 0);
    const result = await kubeforge(['init', 'op', '--domain', 'example.com', '--skip-install'], cwd);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /already inside the kubeforge project/);
    assert.match(
      result.stderr,
      /hint: this directory already holds a project; add APIs to it with `kubeforge create api`/,
    );
  });
});

describe('commands that need a project', () => {
  for (const args of [
    ['create', 'api', '--group', 'web', '--version', 'v1', '--kind', 'Website'],
    ['generate'],
    ['manifests', '--stdout'],
    ['import', 'crd.yaml'],
    ['run'],
    ['install'],
    ['deploy', '--image', 'example.com/op:v1'],
    ['undeploy'],
    ['build-installer', '--image', 'example.com/op:v1'],
    ['helm', '--image', 'example.com/op:v1'],
    ['image-context'],
  ]) {
    test(`kubeforge ${args[0] ?? ''} outside a project`, async () => {
      const result = await kubeforge(args, newDir('noproject'));
      assert.equal(result.code, 1);
      assert.match(result.stderr, /is not inside a kubeforge project \(no kubeforge\.json found\)/);
      assert.match(result.stderr, /hint: .*kubeforge init/);
    });
  }
});

describe('in a project', () => {
  let project: string;
  let pristine: ReadonlyMap<string, string>;

  before(async () => {
    const dir = newDir('project');
    const init = await kubeforge(['init', 'op', '--domain', 'example.com', '--skip-install'], dir);
    assert.equal(init.code, 0, init.stderr);
    project = join(dir, 'op');
    linkDependencies(project);
    const created = await kubeforge(
      ['create', 'api', '--group', 'web', '--version', 'v1', '--kind', 'Website'],
      project,
    );
    assert.equal(created.code, 0, created.stderr);
    pristine = snapshot(project);
  });

  const invalid: readonly (readonly [string, readonly string[], RegExp])[] = [
    [
      'a group that is not a DNS label',
      ['--group', 'Web_App', '--version', 'v1', '--kind', 'Shop'],
      /--group "Web_App" must consist of lowercase/,
    ],
    [
      'a version without the v',
      ['--group', 'shop', '--version', '1', '--kind', 'Shop'],
      /--version "1" must look like v1, v2, v1beta1/,
    ],
    [
      'a version with a capital',
      ['--group', 'shop', '--version', 'v1Beta1', '--kind', 'Shop'],
      /--version "v1Beta1"/,
    ],
    [
      'a lowercase kind',
      ['--group', 'shop', '--version', 'v1', '--kind', 'shop'],
      /--kind "shop" must be UpperCamelCase/,
    ],
    [
      'a kind with a dash',
      ['--group', 'shop', '--version', 'v1', '--kind', 'Web-Shop'],
      /--kind "Web-Shop" must be UpperCamelCase/,
    ],
    [
      'a kind ending in List',
      ['--group', 'shop', '--version', 'v1', '--kind', 'ShopList'],
      /must not end with "List"/,
    ],
    [
      'an unknown scope',
      ['--group', 'shop', '--version', 'v1', '--kind', 'Shop', '--scope', 'Global'],
      /--scope "Global" must be Namespaced or Cluster/,
    ],
    [
      'a kind that exists',
      ['--group', 'web', '--version', 'v1', '--kind', 'Website'],
      /already has Website in web\.example\.com\/v1/,
    ],
  ];
  for (const [name, args, message] of invalid) {
    test(`create api rejects ${name} and writes nothing`, async () => {
      const result = await kubeforge(['create', 'api', ...args], project);
      assert.equal(result.code, 1);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /hint: /);
      assert.deepEqual(snapshot(project), pristine);
    });
  }

  test('several invalid arguments are reported together', async () => {
    const result = await kubeforge(
      ['create', 'api', '--group', 'shop', '--version', 'one', '--kind', 'shop'],
      project,
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--version "one"/);
    assert.match(result.stderr, /--kind "shop"/);
  });

  test('type errors in API files: diagnostics with positions, nothing generated', async () => {
    const file = join(project, 'src/apis/web.example.com/v1/website.ts');
    const original = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      original.replace('  message: string;', '  message: Date;\n  /** @minimum ten */\n  count?: number;'),
    );
    try {
      const before = snapshot(project);
      const result = await kubeforge(['generate'], project);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /src\/apis\/web\.example\.com\/v1\/website\.ts:\d+:\d+ - error/);
      assert.match(result.stderr, /Website\.spec\.message/);
      assert.match(result.stderr, /error: the API types have errors; nothing was generated/);
      assert.deepEqual(snapshot(project), before);

      // create api generates too: its new files are removed again when generation fails.
      const created = await kubeforge(
        ['create', 'api', '--group', 'shop', '--version', 'v1', '--kind', 'Shop'],
        project,
      );
      assert.equal(created.code, 1);
      assert.match(created.stderr, /website\.ts:\d+:\d+ - error/);
      assert.deepEqual(snapshot(project), before);
    } finally {
      writeFileSync(file, original);
    }
  });

  test('generate --check fails on stale output and names the files', async () => {
    const crd = join(project, 'config/crd/bases/web.example.com_websites.yaml');
    const original = readFileSync(crd, 'utf8');
    writeFileSync(crd, `${original}# edited by hand\n`);
    try {
      const result = await kubeforge(['generate', '--check'], project);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /error: 1 generated file\(s\) are out of date/);
      assert.match(result.stderr, /config\/crd\/bases\/web\.example\.com_websites\.yaml/);
      assert.match(result.stderr, /hint: run `kubeforge generate`/);
      assert.equal(readFileSync(crd, 'utf8'), `${original}# edited by hand\n`);
    } finally {
      writeFileSync(crd, original);
    }
    assert.equal((await kubeforge(['generate', '--check'], project)).code, 0);
  });

  test('create api --no-controller adds only the API, and later generates keep it that way', async () => {
    const mainBefore = readFileSync(join(project, 'src/main.ts'), 'utf8');
    const created = await kubeforge(
      ['create', 'api', '--group', 'web', '--version', 'v1', '--kind', 'Theme', '--no-controller'],
      project,
    );
    assert.equal(created.code, 0, created.stderr);
    assert.equal(existsSync(join(project, 'src/controllers/theme.controller.ts')), false);
    assert.equal(readFileSync(join(project, 'src/main.ts'), 'utf8'), mainBefore);
    assert.ok(existsSync(join(project, 'config/crd/bases/web.example.com_themes.yaml')));
    const regenerated = await kubeforge(['generate'], project);
    assert.equal(regenerated.code, 0, regenerated.stderr);
    assert.equal(existsSync(join(project, 'src/controllers/theme.controller.ts')), false);
    const projectFile = JSON.parse(readFileSync(join(project, 'kubeforge.json'), 'utf8')) as {
      resources: { kind: string; controller: boolean }[];
    };
    assert.deepEqual(
      projectFile.resources.map((r) => [r.kind, r.controller]),
      [
        ['Website', true],
        ['Theme', false],
      ],
    );

    // A later kind with a controller gets one; the --no-controller kind still does not.
    const gallery = await kubeforge(
      ['create', 'api', '--group', 'web', '--version', 'v1', '--kind', 'Gallery'],
      project,
    );
    assert.equal(gallery.code, 0, gallery.stderr);
    assert.match(gallery.stderr, /scaffolded src\/controllers\/gallery\.controller\.ts/);
    assert.match(readFileSync(join(project, 'src/main.ts'), 'utf8'), /registerGalleryController\(manager\);/);
    assert.equal(existsSync(join(project, 'src/controllers/theme.controller.ts')), false);
    const check = await kubeforge(['generate', '--check'], project);
    assert.equal(check.code, 0, `everything, the role included, is up to date:\n${check.stderr}`);
    pristine = snapshot(project);
  });

  test('create api refuses to scaffold a controller when src/main.ts lost its markers', async () => {
    const mainPath = join(project, 'src/main.ts');
    const main = readFileSync(mainPath, 'utf8');
    writeFileSync(mainPath, main.replace('// +kubeforge:scaffold:controllers', ''));
    try {
      const before = snapshot(project);
      const result = await kubeforge(
        ['create', 'api', '--group', 'web', '--version', 'v1', '--kind', 'Banner'],
        project,
      );
      assert.equal(result.code, 1);
      assert.match(result.stderr, /src\/main\.ts has no "\/\/ \+kubeforge:scaffold:controllers" line/);
      assert.match(result.stderr, /hint: nothing was written/);
      assert.deepEqual(snapshot(project), before);
    } finally {
      writeFileSync(mainPath, main);
    }
  });

  test('generate --watch regenerates a small change in well under a second', async () => {
    const watch = background(`node ${kubeforgeBin} generate --watch`, { cwd: project, env: baseEnv() });
    const file = join(project, 'src/apis/web.example.com/v1/website.ts');
    const original = readFileSync(file, 'utf8');
    try {
      await watch.waitForOutput(/^Watching src\//, 60_000);
      const timings: number[] = [];
      for (const [index, text] of ['The greeting shown.', 'The greeting shown on the page.'].entries()) {
        writeFileSync(file, original.replace('An example field: replace it with your own.', text));
        const reported = await eventually(`regeneration #${index + 1}`, 30_000, () => {
          // Only runs after the first one, which may have had its own work to do.
          const afterStart = watch.output().split(/^Watching src\/.*$/m)[1] ?? '';
          const lines = afterStart.split('\n').filter((l) => /^Generated in \d+ ms/.test(l));
          return Promise.resolve(lines.length > index ? lines[index] : undefined);
        });
        timings.push(Number(/(\d+) ms/.exec(reported)?.[1]));
        const crd = readFileSync(join(project, 'config/crd/bases/web.example.com_websites.yaml'), 'utf8');
        assert.match(crd, new RegExp(text.replace('.', '\\.')));
      }
      // The first change may still pay for warming up the compiler; the next one must be quick.
      assert.ok((timings[1] ?? Infinity) < 1000, `regenerated in ${timings.join(' ms, ')} ms`);
    } catch (err) {
      throw new Error(`generate --watch printed:\n${watch.output()}`, { cause: err });
    } finally {
      await watch.stop();
      writeFileSync(file, original);
      assert.equal((await kubeforge(['generate'], project)).code, 0);
    }
  });

  test('--check and --watch together are refused', async () => {
    const result = await kubeforge(['generate', '--check', '--watch'], project);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--check and --watch cannot be combined/);
  });

  test('manifests --stdout prints only YAML on stdout and writes nothing', async () => {
    const before = snapshot(project);
    const result = await kubeforge(['manifests', '--stdout'], project);
    assert.equal(result.code, 0, result.stderr);
    const kinds = parseAllDocuments(result.stdout).map(
      (doc) => (doc.toJS() as { kind?: string } | null)?.kind,
    );
    assert.deepEqual(kinds, [
      'CustomResourceDefinition',
      'CustomResourceDefinition',
      'CustomResourceDefinition',
      'ClusterRole',
    ]);
    assert.deepEqual(snapshot(project), before);
  });

  test('manifests --output-dir must stay inside the project', async () => {
    const result = await kubeforge(['manifests', '--output-dir', '../elsewhere'], project);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--output-dir \.\.\/elsewhere is outside the project/);
  });

  test('import: a missing file, and a file without CRDs', async () => {
    const missing = await kubeforge(['import', 'nope.yaml'], project);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read nope\.yaml: ENOENT/);
    const notCrd = await kubeforge(
      ['import', '-'],
      project,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
    );
    assert.equal(notCrd.code, 1);
    assert.match(notCrd.stderr, /the input holds no CustomResourceDefinition/);
    assert.deepEqual(snapshot(project), pristine);
  });

  test('import from standard input writes types and a typed client, and re-import refreshes them', async () => {
    const crd = readFileSync(join(testdata, 'imports/certificates.crd.yaml'), 'utf8');
    const first = await kubeforge(['import', '-', '--out', 'src/vendor'], project, crd);
    assert.equal(first.code, 0, first.stderr);
    const types = join(project, 'src/vendor/cert-manager.io/v1/certificate.ts');
    assert.match(readFileSync(types, 'utf8'), /export interface CertificateSpec \{/);
    assert.match(
      readFileSync(join(project, 'src/vendor/cert-manager.io/v1/certificate.client.ts'), 'utf8'),
      /export function certificateInformer\(/,
    );
    const again = await kubeforge(['import', '-', '--out', 'src/vendor'], project, crd);
    assert.equal(again.code, 0, again.stderr);
    mkdirSync(join(project, 'src/mine/cert-manager.io/v1'), { recursive: true });
    writeFileSync(join(project, 'src/mine/cert-manager.io/v1/certificate.ts'), 'export {};\n');
    const clash = await kubeforge(['import', '-', '--out', 'src/mine'], project, crd);
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /already exist: src\/mine\/cert-manager\.io\/v1\/certificate\.ts/);
  });
});

describe('a new version of a kind', () => {
  // Its own group, so that on an existing cluster its CRD meets no other test's.
  const group = 'versions.example.org';
  const crdFile = `config/crd/bases/${group}_websites.yaml`;
  let project: string;
  let cp: ControlPlane;

  before(async () => {
    cp = await startControlPlane();
    const dir = newDir('versions');
    const init = await kubeforge(['init', 'op', '--domain', 'example.org', '--skip-install'], dir);
    assert.equal(init.code, 0, init.stderr);
    project = join(dir, 'op');
    linkDependencies(project);
    const created = await kubeforge(
      ['create', 'api', '--group', 'versions', '--version', 'v1', '--kind', 'Website'],
      project,
    );
    assert.equal(created.code, 0, created.stderr);
  });

  after(async () => {
    if (cp.local === undefined) {
      await shOk(`kubectl delete crd websites.${group} --ignore-not-found --wait=false`, {
        cwd: project,
        env: baseEnv({ KUBECONFIG: cp.kubeconfigPath }),
      });
    }
    await cp.stop();
  });

  test('a new version must keep the scope of the kind, and nothing is written otherwise', async () => {
    const before = snapshot(project);
    const result = await kubeforge(
      ['create', 'api', '--group', 'versions', '--version', 'v2', '--kind', 'Website', '--scope', 'Cluster'],
      project,
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: --scope Cluster does not match Website, which is Namespaced at v1/);
    assert.match(result.stderr, /hint: all versions of a kind have the same scope/);
    assert.deepEqual(snapshot(project), before);
  });

  test('create api adds v2 as a copy of v1, which stays the storage version, without a second controller', async () => {
    const mainBefore = readFileSync(join(project, 'src/main.ts'), 'utf8');
    const result = await kubeforge(
      ['create', 'api', '--group', 'versions', '--version', 'v2', '--kind', 'Website'],
      project,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /Added version v2 of Website \(versions\.example\.org, Namespaced\), a copy of v1; v1 stays the storage version/,
    );
    // The edit to the user's v1 types is shown diff-like under "changed", after the files written.
    assert.match(
      result.stderr,
      /\n {2}changed src\/apis\/versions\.example\.org\/v1\/website\.ts:\d+ \(your v1 types: a kind with several versions needs exactly one @storageVersion\):\n {6}\* @resource\n {4}\+ \* @storageVersion\n\nNext steps:/,
    );
    assert.doesNotMatch(result.stderr, /wrote src\/apis\/versions\.example\.org\/v1\/website\.ts/);
    assert.match(result.stderr, /src\/controllers\/website\.controller\.ts still reconciles Website at v1/);
    assert.match(
      result.stderr,
      /hint: without a conversion webhook .* all versions \(v1, v2\) must keep the same schema/,
    );
    assert.equal(readFileSync(join(project, 'src/main.ts'), 'utf8'), mainBefore);
    assert.match(
      readFileSync(join(project, `src/apis/${group}/v2/website.ts`), 'utf8'),
      /apiVersion\?: 'versions\.example\.org\/v2';/,
    );
    assert.match(
      readFileSync(join(project, 'config/samples/kustomization.yaml'), 'utf8'),
      /- versions\.example\.org_v1_website\.yaml\n {2}- versions\.example\.org_v2_website\.yaml\n/,
    );
    const projectFile = JSON.parse(readFileSync(join(project, 'kubeforge.json'), 'utf8')) as {
      resources: { version: string; controller: boolean }[];
    };
    assert.deepEqual(
      projectFile.resources.map((r) => [r.version, r.controller]),
      [
        ['v1', true],
        ['v2', false],
      ],
    );

    const again = await kubeforge(
      ['create', 'api', '--group', 'versions', '--version', 'v2', '--kind', 'Website'],
      project,
    );
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already has Website in versions\.example\.org\/v2/);
  });

  test('generate serves both versions and stores one', async () => {
    const generated = await kubeforge(['generate'], project);
    assert.equal(generated.code, 0, generated.stderr);
    assert.equal((await kubeforge(['generate', '--check'], project)).code, 0);
    const crd = parse(readFileSync(join(project, crdFile), 'utf8')) as {
      spec: { versions: { name: string; served: boolean; storage: boolean }[] };
    };
    assert.deepEqual(crd.spec.versions.map((v) => [v.name, v.served, v.storage]).sort(), [
      ['v1', true, true],
      ['v2', true, false],
    ]);
  });

  test('an object created at v2 is read at v1 from the API server', async () => {
    await installCRDs(cp.kubeConfig, [join(project, crdFile)]);
    const namespace = await createNamespace(cp.kubeConfig, 'versions');
    const options = { cwd: project, env: baseEnv({ KUBECONFIG: cp.kubeconfigPath }) };
    await shOk(`kubectl apply -n ${namespace} -f config/samples/${group}_v2_website.yaml`, options);
    const read = await shOk(
      `kubectl get -n ${namespace} websites.v1.${group} website-sample-v2 -o json`,
      options,
    );
    const object = JSON.parse(read.stdout) as { apiVersion: string; spec: { message: string } };
    assert.equal(object.apiVersion, `${group}/v1`);
    assert.equal(object.spec.message, 'Hello from website-sample');
  });
});

describe('create webhook', () => {
  let project: string;
  const group = 'hooks.example.com';
  const types = (version: string): string => join(project, `src/apis/${group}/${version}/website.ts`);

  before(async () => {
    const dir = newDir('webhooks');
    const init = await kubeforge(['init', 'op', '--domain', 'example.com', '--skip-install'], dir);
    assert.equal(init.code, 0, init.stderr);
    project = join(dir, 'op');
    linkDependencies(project);
    for (const version of ['v1', 'v2']) {
      const created = await kubeforge(
        ['create', 'api', '--group', 'hooks', '--version', version, '--kind', 'Website'],
        project,
      );
      assert.equal(created.code, 0, created.stderr);
      if (version === 'v2') {
        assert.match(
          created.stderr,
          /\n {2}npx kubeforge create webhook --group hooks\.example\.com --version v1 --kind Website --conversion\n/,
        );
      }
    }
  });

  const refused: readonly (readonly [string, readonly string[], RegExp])[] = [
    ['no webhook named', ['--version', 'v1', '--kind', 'Website'], /name at least one webhook/],
    [
      'a kind the project lacks',
      ['--version', 'v1', '--kind', 'Shop', '--validation'],
      /no kind Shop in hooks\.example\.com/,
    ],
    [
      'a version the kind lacks',
      ['--version', 'v3', '--kind', 'Website', '--defaulting'],
      /has Website in hooks\.example\.com at v1, v2, not v3/,
    ],
  ];
  for (const [name, args, message] of refused) {
    test(`refuses ${name} and writes nothing`, async () => {
      const before = snapshot(project);
      const result = await kubeforge(['create', 'webhook', '--group', 'hooks', ...args], project);
      assert.equal(result.code, 1);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /hint: /);
      assert.deepEqual(snapshot(project), before);
    });
  }

  test('scaffolds, marks and registers the webhooks, and generates config/webhook', async () => {
    const result = await kubeforge(
      [
        'create',
        'webhook',
        '--group',
        'hooks',
        '--version',
        'v1',
        '--kind',
        'Website',
        '--defaulting',
        '--validation',
        '--conversion',
      ],
      project,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /^Created defaulting, validation, conversion webhooks for Website \(hooks\.example\.com\/v1\):\n/,
    );
    for (const file of [
      'src/webhooks/website-v1.defaulting.ts',
      'src/webhooks/website-v1.validation.ts',
      'src/webhooks/website.conversion.ts',
    ]) {
      assert.match(result.stderr, new RegExp(`\n {2}scaffolded ${file.replaceAll('.', '\\.')}\n`));
    }
    assert.match(result.stderr, /\n {2}wrote config\/webhook\/manifests\.yaml\n/);
    assert.match(
      result.stderr,
      /\n {4}\+ \* @defaulting\n {4}\+ \* @validating\n {4}\+ \* @conversion hub\n/,
    );
    assert.match(result.stderr, /\n {4}\+ manager\.addWebhook\(websiteConversion\);\n/);
    assert.match(
      readFileSync(types('v1'), 'utf8'),
      / \* @resource\n \* @defaulting\n \* @validating\n \* @conversion hub\n/,
    );
    const main = readFileSync(join(project, 'src/main.ts'), 'utf8');
    for (const name of ['websiteV1Defaulting', 'websiteV1Validation', 'websiteConversion']) {
      assert.equal(main.split(`manager.addWebhook(${name});`).length, 2, `${name} is added once`);
    }
    const configurations = parseAllDocuments(
      readFileSync(join(project, 'config/webhook/manifests.yaml'), 'utf8'),
    ).map((d) => d.toJS() as { kind: string; webhooks: { clientConfig: { service: { path: string } } }[] });
    assert.deepEqual(
      configurations.map((c) => [c.kind, c.webhooks.map((w) => w.clientConfig.service.path)]),
      [
        ['MutatingWebhookConfiguration', [`/mutate-hooks-example-com-v1-website`]],
        ['ValidatingWebhookConfiguration', [`/validate-hooks-example-com-v1-website`]],
      ],
    );
    const crd = parse(readFileSync(join(project, `config/crd/bases/${group}_websites.yaml`), 'utf8')) as {
      spec: { conversion: { strategy: string; webhook: { clientConfig: { service: { path: string } } } } };
    };
    assert.deepEqual(
      [crd.spec.conversion.strategy, crd.spec.conversion.webhook.clientConfig.service.path],
      ['Webhook', '/convert'],
    );
    assert.equal((await kubeforge(['generate', '--check'], project)).code, 0);
  });

  test('the scaffolds compile with the project', async () => {
    await shOk('tsc -p tsconfig.json --noEmit', { cwd: project, env: baseEnv(), timeoutMs: 120_000 });
  });

  test('run again, it keeps the handlers and registers nothing twice', async () => {
    const handler = join(project, 'src/webhooks/website-v1.defaulting.ts');
    writeFileSync(
      handler,
      readFileSync(handler, 'utf8').replace(
        'return website;',
        'website.spec.message ||= "hi";\n  return website;',
      ),
    );
    const before = snapshot(project);
    const result = await kubeforge(
      ['create', 'webhook', '--group', 'hooks', '--version', 'v1', '--kind', 'Website', '--defaulting'],
      project,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /kept src\/webhooks\/website-v1\.defaulting\.ts \(exists: yours, left as is\)/,
    );
    assert.deepEqual(snapshot(project), before);
  });

  test('a second version cannot state the conversion too', async () => {
    const before = snapshot(project);
    const result = await kubeforge(
      ['create', 'webhook', '--group', 'hooks', '--version', 'v2', '--kind', 'Website', '--conversion'],
      project,
    );
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /Website already states its conversion in src\/apis\/hooks\.example\.com\/v1\/website\.ts \(v1\)/,
    );
    assert.deepEqual(snapshot(project), before);
  });

  test('the generated configurations send the API server to the scaffolded handlers', async () => {
    const cp = await startControlPlane();
    let manager: Manager | undefined;
    let running: Promise<void> | undefined;
    let installed: InstalledWebhooks | undefined;
    try {
      await installCRDs(cp.kubeConfig, [join(project, `config/crd/bases/${group}_websites.yaml`)]);
      const namespace = await createNamespace(cp.kubeConfig, 'hooks');
      installed = await installWebhooks(cp.kubeConfig, {
        configurations: [join(project, 'config/webhook/manifests.yaml')],
        conversionCRDs: [`websites.${group}`],
      });
      manager = createManager({
        kubeConfig: cp.kubeConfig,
        logger: noopLogger,
        handleSignals: false,
        exit: () => undefined,
        probes: { port: 0, host: '127.0.0.1' },
        webhook: {
          port: installed.port,
          host: '127.0.0.1',
          certificates: fileCertificates({ dir: installed.certDir }),
        },
      });
      // The project's own modules, as src/main.ts registers them.
      for (const [file, name] of [
        ['website-v1.defaulting.ts', 'websiteV1Defaulting'],
        ['website-v1.validation.ts', 'websiteV1Validation'],
        ['website.conversion.ts', 'websiteConversion'],
      ] as const) {
        const module = (await import(pathToFileURL(join(project, 'src/webhooks', file)).href)) as Record<
          string,
          WebhookRegistration
        >;
        manager.addWebhook(module[name]!);
      }
      const started = manager;
      running = started.start();
      await eventually('/readyz', 30_000, async () =>
        (await fetch(`${started.probeUrl ?? ''}/readyz`)).status === 200 ? true : undefined,
      );
      const files = newDir('hooks-objects');
      const apply = (name: string, object: object): Promise<ShellResult> => {
        writeFileSync(join(files, name), JSON.stringify(object));
        return sh(`kubectl create -n ${namespace} -f ${join(files, name)}`, {
          cwd: project,
          env: baseEnv({ KUBECONFIG: cp.kubeconfigPath }),
        });
      };
      const website = (version: string, name: string, message: string): object => ({
        apiVersion: `${group}/${version}`,
        kind: 'Website',
        metadata: { name },
        spec: { message },
      });
      // The API server loads new configurations asynchronously: the first write may miss them.
      await eventually('the defaulting webhook to take effect', 30_000, async () => {
        const created = await apply('defaulted.json', website('v1', `defaulted-${Date.now()}`, ''));
        if (created.code !== 0) return undefined;
        const name = /website\.[\w.]+\/(\S+) created/.exec(created.stdout)?.[1] ?? '';
        const read = await shOk(
          `kubectl get -n ${namespace} websites.v1.${group} ${name} -o jsonpath={.spec.message}`,
          {
            cwd: project,
            env: baseEnv({ KUBECONFIG: cp.kubeconfigPath }),
          },
        );
        return read.stdout === 'hi' ? true : undefined;
      });
      const tooLong = await apply('too-long.json', website('v1', 'x'.repeat(64), 'hello'));
      assert.equal(tooLong.code, 1);
      assert.match(tooLong.stderr, /metadata\.name: Too long: may not be more than 63 bytes/);
      // Written at v2, read at v1: the conversion webhook (identity, through the hub v1) answers.
      assert.equal((await apply('at-v2.json', website('v2', 'at-v2', 'from v2'))).code, 0);
      const atV1 = await shOk(`kubectl get -n ${namespace} websites.v1.${group} at-v2 -o json`, {
        cwd: project,
        env: baseEnv({ KUBECONFIG: cp.kubeconfigPath }),
      });
      const object = JSON.parse(atV1.stdout) as { apiVersion: string; spec: { message: string } };
      assert.deepEqual([object.apiVersion, object.spec.message], [`${group}/v1`, 'from v2']);
    } finally {
      await manager?.stop();
      await running;
      await installed?.uninstall();
      await cp.stop();
    }
  });

  test('generate refuses versions whose schemas differ once the conversion is gone', async () => {
    const v1 = readFileSync(types('v1'), 'utf8');
    writeFileSync(types('v1'), v1.replace(' * @conversion hub\n', ''));
    writeFileSync(types('v2'), readFileSync(types('v2'), 'utf8').replace(/\bmessage\b/g, 'greeting'));
    const result = await kubeforge(['generate'], project);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /src\/apis\/hooks\.example\.com\/v2\/website\.ts:\d+:\d+ - error schema-mismatch: Website\.spec\.\w+: Website v2 and v1 have different schemas/,
    );
    assert.match(
      result.stderr,
      /kubeforge create webhook --group hooks\.example\.com --version v1 --kind Website --conversion/,
    );
  });
});
