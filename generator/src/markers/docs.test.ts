import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertGolden, generatorDir } from '../testing/index.ts';
import { markerDefinitions } from './definitions.ts';
import { renderMarkersDoc } from './docs.ts';

describe('docs/markers.md', () => {
  it('is generated from the marker definitions (regenerate with UPDATE_GOLDEN=1)', () => {
    assertGolden(join(generatorDir, '..', 'docs', 'markers.md'), renderMarkersDoc());
  });

  it('documents every marker with an example that uses it', () => {
    const doc = renderMarkersDoc();
    for (const [name, definition] of Object.entries(markerDefinitions)) {
      assert.ok(doc.includes(`### \`@${name}\``), `@${name} has no section`);
      assert.ok(definition.example.includes(`@${name}`), `the example of @${name} does not use it`);
    }
  });
});
