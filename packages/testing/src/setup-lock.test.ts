/**
 * The control-plane setup lock: two setups started at once on one machine run one after the
 * other (the second waits), with flock and with the lock-directory fallback. Uses a temporary
 * XDG_CACHE_HOME and a stub command, never the real cache.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const LOCK = fileURLToPath(new URL('../scripts/with-setup-lock.sh', import.meta.url));

function run(
  cache: string,
  log: string,
  id: string,
  tool: string,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      'bash',
      [LOCK, 'bash', '-c', `echo "start ${id}" >> "${log}"; sleep 1; echo "end ${id}" >> "${log}"`],
      { env: { ...process.env, XDG_CACHE_HOME: cache, KUBEFORGE_SETUP_LOCK_TOOL: tool } },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('setup lock', () => {
  for (const tool of ['flock', 'mkdir']) {
    it(`two setups at once run one after the other (${tool})`, async () => {
      const cache = mkdtempSync(join(tmpdir(), 'kf-setup-lock-'));
      try {
        const log = join(cache, 'log');
        const [a, b] = await Promise.all([run(cache, log, 'a', tool), run(cache, log, 'b', tool)]);
        assert.equal(a.code, 0);
        assert.equal(b.code, 0);
        const lines = readFileSync(log, 'utf8').trim().split('\n');
        assert.equal(lines.length, 4);
        assert.equal(lines[0]?.replace('start ', 'end '), lines[1], `not interleaved: ${lines.join(', ')}`);
        assert.equal(lines[2]?.replace('start ', 'end '), lines[3], `not interleaved: ${lines.join(', ')}`);
        assert.match(a.stderr + b.stderr, /waiting for it to finish/, 'the second says why it waits');
      } finally {
        rmSync(cache, { recursive: true, force: true });
      }
    });
  }
});
