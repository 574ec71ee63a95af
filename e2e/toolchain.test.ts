import assert from 'node:assert/strict';
import { test } from 'node:test';

test('npm scripts run on Node >= 22.19 (the node@24 devDependency)', () => {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  assert.ok(
    major > 22 || (major === 22 && minor >= 19),
    `running on Node ${process.versions.node}; run through npm so node_modules/.bin/node (Node 24) is used`,
  );
});
