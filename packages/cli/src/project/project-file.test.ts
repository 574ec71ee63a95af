import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isCliError } from '../errors.ts';
import {
  findProjectRoot,
  kindHasController,
  loadProject,
  parseProjectFile,
  serializeProjectFile,
  type ProjectFile,
} from './project-file.ts';

const file: ProjectFile = {
  version: 1,
  name: 'op',
  domain: 'example.com',
  resources: [
    {
      group: 'web.example.com',
      version: 'v1',
      kind: 'Website',
      plural: 'websites',
      scope: 'Namespaced',
      path: 'src/apis/web.example.com/v1/website.ts',
      controller: true,
    },
  ],
  imports: [],
};

test('a project file survives a round trip', () => {
  assert.deepEqual(parseProjectFile(JSON.parse(serializeProjectFile(file)), 'kubeforge.json'), file);
});

test('malformed project files name the field', () => {
  const broken = { ...file, resources: [{ ...file.resources[0], scope: 'Everywhere' }] };
  assert.throws(
    () => parseProjectFile(broken, 'kubeforge.json'),
    (err) => isCliError(err) && err.reason === 'InvalidInput' && err.message.includes('resources[0].scope'),
  );
  assert.throws(() => parseProjectFile({ ...file, version: 2 }, 'kubeforge.json'), /version must be 1/);
});

test('a kind has one entry per version; they agree on plural and scope', () => {
  const website = file.resources[0];
  assert.ok(website !== undefined);
  const v2 = { ...website, version: 'v2', path: 'src/apis/web.example.com/v2/website.ts', controller: false };
  const twoVersions = { ...file, resources: [website, v2] };
  assert.deepEqual(
    parseProjectFile(JSON.parse(serializeProjectFile(twoVersions)), 'kubeforge.json'),
    twoVersions,
  );
  assert.throws(
    () => parseProjectFile({ ...file, resources: [website, { ...v2, version: 'v1' }] }, 'kubeforge.json'),
    /resources\[1\] repeats Website web\.example\.com\/v1/,
  );
  assert.throws(
    () => parseProjectFile({ ...file, resources: [website, { ...v2, scope: 'Cluster' }] }, 'kubeforge.json'),
    /resources\[1\]: the versions of Website must have the same plural and scope/,
  );
});

test('a kind has a controller when any of its versions was created with one', () => {
  const website = file.resources[0];
  assert.ok(website !== undefined);
  const v2 = { ...website, version: 'v2', controller: false };
  assert.equal(kindHasController([website, v2], v2), true);
  assert.equal(kindHasController([{ ...website, controller: false }, v2], website), false);
  assert.equal(kindHasController([website], { group: 'web.example.com', kind: 'Theme' }), false);
});

test('the project root is found from any directory inside it', () => {
  const root = mkdtempSync(join(tmpdir(), 'project-file-'));
  try {
    writeFileSync(join(root, 'kubeforge.json'), serializeProjectFile(file));
    mkdirSync(join(root, 'src', 'apis'), { recursive: true });
    assert.equal(findProjectRoot(join(root, 'src', 'apis')), root);
    assert.equal(loadProject(join(root, 'src')).file.domain, 'example.com');
    writeFileSync(join(root, 'kubeforge.json'), '{ nope');
    assert.throws(() => loadProject(root), /is not valid JSON/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('outside any project, loading fails with NotInProject and a hint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'no-project-'));
  try {
    assert.throws(
      () => loadProject(dir),
      (err) =>
        isCliError(err) && err.reason === 'NotInProject' && (err.hint ?? '').includes('kubeforge init'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the generate section survives a round trip, and commands that rewrite the file keep it', () => {
  const withSettings: ProjectFile = { ...file, generate: { kubeVersion: '1.30', maxDescriptionLength: 80 } };
  const parsed = parseProjectFile(JSON.parse(serializeProjectFile(withSettings)), 'kubeforge.json');
  assert.deepEqual(parsed, withSettings);
  assert.deepEqual(
    parseProjectFile(JSON.parse(serializeProjectFile({ ...parsed, imports: [] })), 'x').generate,
    {
      kubeVersion: '1.30',
      maxDescriptionLength: 80,
    },
  );
});

test('a malformed generate section names the setting and how to write it', () => {
  const cases: [unknown, RegExp, RegExp][] = [
    [[], /generate must be an object/, /"kubeVersion": "1\.30"/],
    [{ kubeVersion: 1.3 }, /generate\.kubeVersion must be a string \(found 1\.3\)/, /quote the version/],
    [{ maxDescriptionLength: '80' }, /generate\.maxDescriptionLength must be a number/, /0 drops/],
    [{ maxDescLen: 0 }, /generate\.maxDescLen is not a setting/, /kubeVersion, maxDescriptionLength/],
  ];
  for (const [generate, message, hint] of cases) {
    assert.throws(
      () => parseProjectFile({ ...file, generate }, 'kubeforge.json'),
      (err) => isCliError(err) && message.test(err.message) && hint.test(err.hint ?? ''),
      JSON.stringify(generate),
    );
  }
});
