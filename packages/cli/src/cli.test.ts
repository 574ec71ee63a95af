import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from './cli.ts';
import { memoryOutput } from './output.ts';

test('usage errors exit 2 with a hint naming the command', async () => {
  const output = memoryOutput();
  assert.equal(await runCli(['generate', '--frob'], output), EXIT_USAGE);
  assert.deepEqual(output.lines, [
    'error: unknown argument: frob',
    'hint: run `kubeforge generate --help` for the options and examples',
  ]);
});

test('command failures exit 1 with what and how to fix', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  try {
    const output = memoryOutput();
    assert.equal(await runCli(['init', join(dir, 'op'), '--domain', 'not a domain'], output), EXIT_FAILURE);
    assert.match(output.lines.join('\n'), /^error: --domain "not a domain" .*\nhint: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('version writes to stdout and exits 0', async () => {
  const output = memoryOutput();
  assert.equal(await runCli(['version'], output), EXIT_OK);
  assert.match(output.stdout.join(''), /^kubeforge \d+\.\d+\.\d+/);
});
