import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { generatedHeader, type OutputFile } from '../emit/index.ts';
import { OutputPathError, writeOutputs } from './write-outputs.ts';

const generated = (path: string, body: string): OutputFile => ({
  path,
  contents: `${generatedHeader}\n${body}`,
  ownership: 'generated',
});

describe('writeOutputs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeforge-writer-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes new files, then leaves identical ones alone', () => {
    const files = [generated('config/a.yaml', 'a: 1\n')];
    assert.deepEqual(writeOutputs(files, { projectDir: dir }).written, ['config/a.yaml']);
    assert.equal(readFileSync(join(dir, 'config/a.yaml'), 'utf8'), files[0]?.contents);
    const again = writeOutputs(files, { projectDir: dir });
    assert.deepEqual([again.written, again.unchanged], [[], ['config/a.yaml']]);
  });

  it('notices a large file edited on disk after it was written, and writes it again', () => {
    const files = [generated('config/big.yaml', 'x: 1\n'.repeat(20_000))];
    writeOutputs(files, { projectDir: dir });
    assert.deepEqual(writeOutputs(files, { projectDir: dir }).unchanged, ['config/big.yaml']);
    writeFileSync(join(dir, 'config/big.yaml'), 'edited\n');
    assert.deepEqual(writeOutputs(files, { projectDir: dir }).written, ['config/big.yaml']);
    assert.equal(readFileSync(join(dir, 'config/big.yaml'), 'utf8'), files[0]?.contents);
  });

  it('never overwrites a scaffold file that exists', () => {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/controller.ts'), 'user code');
    const result = writeOutputs(
      [{ path: 'src/controller.ts', contents: 'template', ownership: 'scaffold' }],
      { projectDir: dir },
    );
    assert.deepEqual(result.unchanged, ['src/controller.ts']);
    assert.equal(readFileSync(join(dir, 'src/controller.ts'), 'utf8'), 'user code');
  });

  it('in check mode writes nothing and reports stale and orphaned files', () => {
    mkdirSync(join(dir, 'config'), { recursive: true });
    writeFileSync(join(dir, 'config/old.yaml'), `${generatedHeader}\nold: 1\n`);
    writeFileSync(join(dir, 'config/mine.yaml'), 'user: file\n');
    const result = writeOutputs([generated('config/a.yaml', 'a: 1\n')], {
      projectDir: dir,
      check: true,
      pruneDirs: ['config'],
    });
    assert.deepEqual(result.stale, ['config/a.yaml', 'config/old.yaml']);
    assert.equal(existsSync(join(dir, 'config/a.yaml')), false);
    assert.equal(existsSync(join(dir, 'config/old.yaml')), true);
  });

  it('removes generated files nothing produces any more, but not user files', () => {
    mkdirSync(join(dir, 'config'), { recursive: true });
    writeFileSync(join(dir, 'config/old.yaml'), `${generatedHeader}\nold: 1\n`);
    writeFileSync(join(dir, 'config/mine.yaml'), 'user: file\n');
    const result = writeOutputs([], { projectDir: dir, pruneDirs: ['config'] });
    assert.deepEqual(result.removed, ['config/old.yaml']);
    assert.equal(existsSync(join(dir, 'config/mine.yaml')), true);
  });

  it('refuses paths outside the project', () => {
    assert.throws(
      () => writeOutputs([generated('../escape.yaml', '')], { projectDir: dir }),
      OutputPathError,
    );
  });
});
