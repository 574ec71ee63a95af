import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { StatusFields } from '../model/index.ts';
import { scratchDir } from '../testing/index.ts';
import { loadProject } from './load-project.ts';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The status fields of a kind `Gadget` whose status is declared by `status` (plus `types`). */
function statusFieldsOf(status: string, types = ''): StatusFields | undefined {
  const dir = scratchDir('status-fields');
  dirs.push(dir);
  const file = join(dir, 'src/apis/demo.example.com/v1/gadget.ts');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `import type { Condition, ObjectMeta, int64 } from '@kubeforge/runtime/api';
${types}
/** @resource */
export interface Gadget {
  metadata: ObjectMeta;
  spec: { size: string };
  ${status}
}
`,
  );
  const { model, diagnostics } = loadProject({ projectDir: dir });
  assert.deepEqual(diagnostics, []);
  return model.kinds[0]?.versions[0]?.statusFields;
}

describe('the status fields a reconcile is recorded in, read from the types', () => {
  it('finds observedGeneration and a (readonly) list of the runtime Condition', () => {
    assert.deepEqual(
      statusFieldsOf('status?: { observedGeneration?: int64; conditions?: readonly Condition[] };'),
      {
        start: 'empty',
        observedGeneration: true,
        conditions: 'runtime',
      },
    );
  });

  it("tells a user's own Condition from the runtime's, and a string observedGeneration from a number", () => {
    const own = 'export interface Condition { type: string; status: string }';
    assert.deepEqual(
      statusFieldsOf(
        'status?: { observedGeneration?: string; conditions?: Condition[] };',
        own.replace('Condition', 'Own'),
      ),
      { start: 'empty', observedGeneration: false, conditions: 'runtime' },
    );
    assert.deepEqual(
      statusFieldsOf(
        'status?: { observedGeneration?: string; conditions?: Own[] };',
        own.replace('Condition', 'Own'),
      ),
      { start: 'empty', observedGeneration: false, conditions: 'other' },
    );
  });

  it('extends only an existing status when it has required fields, and has nothing to write without one', () => {
    assert.deepEqual(statusFieldsOf("status?: { phase: 'Pending' | 'Ready'; observedGeneration?: int64 };"), {
      start: 'existing',
      observedGeneration: true,
      conditions: 'absent',
    });
    assert.deepEqual(statusFieldsOf(''), { start: 'none', observedGeneration: false, conditions: 'absent' });
  });
});
