/**
 * CEL rules the API server would refuse are errors when generating, each at its marker with
 * the column of the CEL error, and nothing is written; the target Kubernetes version decides
 * which libraries and rule fields exist. The rules themselves are checked by
 * @kubeforge/testing/cel (its rule table is tested there and on a real server).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatDiagnostics } from './diagnostics/index.ts';
import { generateManifests } from './generate.ts';
import { assertGolden, fixtureDir } from './testing/index.ts';

describe('CEL rules checked when generating', () => {
  const dir = fixtureDir('invalid-rules');

  it('reports every rule the API server would refuse, at the rule, and writes nothing', () => {
    const result = generateManifests({ projectDir: dir, kubeVersion: '1.28', check: true });
    assertGolden(join(dir, '__golden__', 'diagnostics.txt'), formatDiagnostics(result.diagnostics));
    assert.deepEqual(result.files, []);
    assert.equal(result.write, undefined);
    assert.equal(existsSync(join(dir, 'config')), false);
  });

  it('points at the CEL error: line of the marker, column of the error within the rule', () => {
    const { diagnostics } = generateManifests({ projectDir: dir, kubeVersion: '1.28', check: true });
    const undefinedField = diagnostics.find((d) => d.message.includes("undefined field 'doesNotExist'"));
    // ` * @validation rule="self.doesNotExist ...` on line 10: the rule starts at column 22, its dot is 4 further.
    assert.deepEqual(
      [undefinedField?.file, undefinedField?.line, undefinedField?.column, undefinedField?.path],
      ['src/apis/rules.example.com/v1/policy.ts', 10, 26, 'Policy.spec'],
    );
  });

  it('lets the target version decide: the quantity library needs 1.29', () => {
    const at = (kubeVersion: string): boolean =>
      generateManifests({ projectDir: dir, kubeVersion, check: true }).diagnostics.some((d) =>
        d.message.includes('quantity'),
      );
    assert.equal(at('1.28'), true);
    assert.equal(at('1.29'), false);
  });
});
