/**
 * `--kube-version` and `--max-description-length` of `generate` and `manifests`, and the
 * `generate` section of kubeforge.json they override, on a real project.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli.ts';
import { memoryOutput } from '../output.ts';
import { serializeProjectFile, type GenerateSettings } from './project-file.ts';

// Inside the repository, so the project resolves @kubeforge/runtime through the workspace.
const scratchBase = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.kubeforge-tmp');

const apiSource = `import type { int32, ObjectMeta } from '@kubeforge/runtime/api';

/**
 * A widget, described at some length so that the description cap shows.
 * @resource
 * @selectableField .spec.color
 */
export interface Widget {
  metadata: ObjectMeta;
  spec: {
    /** The number of widgets wanted, described at some length too. */
    replicas: int32;
    color?: string;
  };
}
`;

function writeProject(dir: string, generate?: GenerateSettings): void {
  writeFileSync(
    join(dir, 'kubeforge.json'),
    serializeProjectFile({
      version: 1,
      name: 'op',
      domain: 'example.com',
      resources: [],
      imports: [],
      ...(generate ? { generate } : {}),
    }),
  );
}

describe('CRD settings from flags and kubeforge.json', () => {
  let dir: string;
  let cwd: string;
  const crd = (): string => readFileSync(join(dir, 'config/crd/bases/a.example.com_widgets.yaml'), 'utf8');

  async function run(...args: string[]): Promise<{ code: number; text: string }> {
    const output = memoryOutput();
    process.chdir(dir);
    try {
      const code = await runCli(args, output);
      return { code, text: output.lines.join('\n') };
    } finally {
      process.chdir(cwd);
    }
  }

  before(() => {
    cwd = process.cwd();
    mkdirSync(scratchBase, { recursive: true });
    dir = mkdtempSync(join(scratchBase, 'crd-settings-'));
    mkdirSync(join(dir, 'src/apis/a.example.com/v1'), { recursive: true });
    writeFileSync(join(dir, 'src/apis/a.example.com/v1/widget.ts'), apiSource);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          customConditions: ['kubeforge-source'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        include: ['src'],
      }),
    );
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the target version and the description cap from kubeforge.json', async () => {
    writeProject(dir, { kubeVersion: '1.30', maxDescriptionLength: 20 });
    const result = await run('manifests', '--stdout');
    assert.equal(result.code, 0, result.text);
    const generated = await run('generate');
    assert.equal(generated.code, 0, generated.text);
    assert.match(crd(), /description: A widget,\.\.\.\n/);
    assert.match(crd(), /selectableFields:\n\s+- jsonPath: \.spec\.color/);
  });

  it('lets a flag win over kubeforge.json', async () => {
    writeProject(dir, { kubeVersion: '1.30', maxDescriptionLength: 20 });
    const result = await run('generate', '--max-description-length', '0');
    assert.equal(result.code, 0, result.text);
    assert.doesNotMatch(crd(), /description:/);
  });

  it('gates selectableFields on the target version, saying how to set it', async () => {
    writeProject(dir, {});
    const result = await run('generate', '--kube-version', '1.29');
    assert.equal(result.code, 1);
    assert.match(result.text, /selectableFields need Kubernetes >= 1\.30, but Widget v1 targets 1\.29/);
    assert.match(result.text, /--kube-version 1\.30 or generate\.kubeVersion in kubeforge\.json/);
  });

  it('rejects a bad --kube-version before generating anything', async () => {
    writeProject(dir, {});
    rmSync(join(dir, 'config'), { recursive: true, force: true });
    const result = await run('generate', '--kube-version', 'latest');
    assert.equal(result.code, 1);
    assert.match(
      result.text,
      /^error: --kube-version "latest" is not a Kubernetes minor version such as 1\.30/,
    );
    assert.match(result.text, /hint: pass the oldest Kubernetes version the CRDs must work on/);
    assert.throws(() => crd(), /ENOENT/);
  });

  it('rejects a bad value in kubeforge.json, naming the setting', async () => {
    writeProject(dir, { kubeVersion: '2.0' });
    const result = await run('manifests', '--stdout');
    assert.equal(result.code, 1);
    assert.match(
      result.text,
      /kubeforge\.json: generate\.kubeVersion "2\.0": Kubernetes versions start with 1\./,
    );
  });

  it('notes the size of a CRD near the kubectl apply limit in the output of generate', async () => {
    writeProject(dir, { kubeVersion: '1.31' });
    const tome = join(dir, 'src/apis/a.example.com/v1/tome.ts');
    const words = 'A long description of a large embedded type. '.repeat(4_800);
    writeFileSync(
      tome,
      `import type { ObjectMeta } from '@kubeforge/runtime/api';\n\n/** @resource */\nexport interface Tome {\n  metadata: ObjectMeta;\n  spec: {\n    /** ${words} */\n    text?: string;\n  };\n}\n`,
    );
    try {
      const noted = await run('generate');
      assert.equal(noted.code, 0, noted.text);
      assert.match(
        noted.text,
        /config\/crd\/bases\/a\.example\.com_tomes\.yaml - note crd-size: .* is \d+ bytes as JSON \(\d+\.\d KiB\), 8\d% of the 262144-byte limit of client-side kubectl apply/,
      );
      assert.match(noted.text, /hint: cap descriptions with --max-description-length <n>/);
      const capped = await run('generate', '--max-description-length', '80');
      assert.equal(capped.code, 0, capped.text);
      assert.doesNotMatch(capped.text, /crd-size/);
    } finally {
      rmSync(tome);
    }
  });

  it('rejects a description cap that is not a non-negative integer', async () => {
    writeProject(dir, {});
    const result = await run('manifests', '--stdout', '--max-description-length', '-5');
    assert.equal(result.code, 1);
    assert.match(result.text, /--max-description-length -5 is not a non-negative integer/);
  });
});
