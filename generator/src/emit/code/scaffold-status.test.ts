/**
 * The controller scaffold belongs to the user once written, and the user's next step is to
 * replace the example types `create api` wrote. So: scaffold a controller for exactly those
 * example types, then replace the status with one that has neither `observedGeneration` nor
 * `conditions`, and with one whose `Condition` type is the user's own, regenerate, and
 * type-check the project (tsc, strictest settings) each time. The scaffold must compile
 * untouched; `generate` warns at its call of `mark<Kind>Reconciled`, which records what the
 * status still has (checked by running the generated module).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Condition } from '@kubeforge/runtime';
import { formatDiagnostics } from '../../diagnostics/index.ts';
import { generate } from '../../generate-project.ts';
import { fixtureDir } from '../../testing/index.ts';
import { renderTemplate } from '../../view-models/index.ts';
import { createOperatorProject, removeProjects } from './test-project.ts';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const typesFile = 'src/apis/web.example.com/v1/website.ts';
const controllerFile = 'src/controllers/website.controller.ts';
const generatedFile = 'src/generated/web.example.com/v1/website.ts';

function typeCheck(dir: string): readonly string[] {
  const result = spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], {
    cwd: dir,
    encoding: 'utf8',
  });
  return result.stdout.split('\n').filter((line) => / error TS\d+/.test(line));
}

/** The status block of the example types, replaced by `status` (which may declare more types before it). */
function replaceStatus(source: string, status: string): string {
  const start = source.indexOf('/** The observed state of a Website');
  const end = source.indexOf('\n}\n', source.indexOf('export interface WebsiteStatus')) + 3;
  assert.ok(start >= 0 && end > start, 'the example types changed; update this test');
  return `${source.slice(0, start)}${status}\n${source.slice(end)}`;
}

interface Website {
  metadata: { name: string; generation?: number };
  spec: Record<string, unknown>;
  status?: Record<string, unknown> & { conditions?: Condition[] };
}

/** Calls the generated `markWebsiteReconciled` on an object at generation 3. */
async function markReconciled(dir: string, website: Website): Promise<Website> {
  const module = (await import(`${pathToFileURL(join(dir, generatedFile)).href}?${Date.now()}`)) as {
    markWebsiteReconciled(website: Website): void;
  };
  module.markWebsiteReconciled(website);
  return website;
}

describe('the controller scaffold when the user replaces the example status', () => {
  let dir = '';
  const example = renderTemplate('project/api/types.ts.hbs', {
    group: 'web.example.com',
    version: 'v1',
    kind: 'Website',
    scope: 'Namespaced',
    shortName: 'ws',
  });
  /** The example types with their status block replaced by `status`. */
  const writeStatus = (status: string, source = example): void => {
    writeFileSync(join(dir, typesFile), replaceStatus(source, status));
  };
  after(removeProjects);

  before(() => {
    // An empty project (the mappings fixture without its APIs) with create api's example types.
    dir = createOperatorProject('status-shapes', fixtureDir('mappings'));
    rmSync(join(dir, 'src', 'apis'), { recursive: true });
    mkdirSync(dirname(join(dir, typesFile)), { recursive: true });
    writeFileSync(join(dir, typesFile), example);
  });

  it('scaffolds for the example types a controller that records the reconcile through the generated function', async () => {
    const report = generate(dir);
    assert.equal(formatDiagnostics(report.diagnostics), '');
    assert.deepEqual(report.scaffolded, [controllerFile]);
    const controller = readFileSync(join(dir, controllerFile), 'utf8');
    assert.match(controller, /\n {6}markWebsiteReconciled\(current\);\n/);
    assert.doesNotMatch(controller, /current\.status =|setCondition/);
    assert.deepEqual(typeCheck(dir), []);
    const marked = await markReconciled(dir, { metadata: { name: 'a', generation: 3 }, spec: {} });
    assert.equal(marked.status?.observedGeneration, 3);
    assert.deepEqual(
      (marked.status.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.observedGeneration]),
      [['Ready', 'True', 'Reconciled', 3]],
    );
  });

  it('compiles untouched against a status with neither field, and generate says what the scaffold expected', async () => {
    const before = readFileSync(join(dir, controllerFile), 'utf8');
    writeStatus('export interface WebsiteStatus {\n  phase?: string;\n  url?: string;\n}');
    const report = generate(dir);
    assert.equal(report.exitCode, 0);
    const warnings = report.diagnostics.filter((d) => d.code === 'scaffold-status');
    const line = before.split('\n').findIndex((l) => l.includes('markWebsiteReconciled(current)')) + 1;
    assert.deepEqual(formatDiagnostics(warnings).split('\n').slice(0, 2), [
      `${controllerFile}:${line}:7 - warning scaffold-status: Website: markWebsiteReconciled no longer records \`status.observedGeneration\` or the \`Ready\` condition: the status declares no \`observedGeneration\` that takes a number, and the status declares no \`conditions\``,
      '  hint: the controller scaffold expected a Website status with `observedGeneration?: int64` and `conditions?: Condition[]` (both from @kubeforge/runtime/api); declare them, or record your own status fields and remove this call',
    ]);
    assert.equal(readFileSync(join(dir, controllerFile), 'utf8'), before);
    assert.deepEqual(typeCheck(dir), []);
    const marked = await markReconciled(dir, {
      metadata: { name: 'a', generation: 3 },
      spec: {},
      status: { phase: 'x' },
    });
    assert.deepEqual(marked.status, { phase: 'x' });
  });

  it("compiles untouched against a status whose Condition type is the user's own", async () => {
    const before = readFileSync(join(dir, controllerFile), 'utf8');
    writeStatus(
      [
        '/** A condition of our own: its status is any string, and it has a severity. */',
        'export interface Condition {',
        '  type: string;',
        '  status: string;',
        "  severity: 'Info' | 'Error';",
        '  message?: string;',
        '}',
        '',
        'export interface WebsiteStatus {',
        '  observedGeneration?: number;',
        '  /**',
        '   * @listType map',
        '   * @listMapKey type',
        '   */',
        '  conditions?: Condition[];',
        '}',
      ].join('\n'),
      example.replace('import type { Condition, ObjectMeta,', 'import type { ObjectMeta,'),
    );
    const report = generate(dir);
    assert.equal(report.exitCode, 0, formatDiagnostics(report.diagnostics));
    assert.deepEqual(
      report.diagnostics.filter((d) => d.code === 'scaffold-status').map((d) => d.message),
      [
        'markWebsiteReconciled no longer records the `Ready` condition: its `conditions` are not a list of `Condition` from @kubeforge/runtime/api',
      ],
    );
    assert.equal(readFileSync(join(dir, controllerFile), 'utf8'), before);
    assert.deepEqual(typeCheck(dir), []);
    const own = { type: 'Synced', status: 'yes', severity: 'Info' };
    const marked = await markReconciled(dir, {
      metadata: { name: 'a', generation: 4 },
      spec: {},
      status: { conditions: [own as unknown as Condition] },
    });
    assert.deepEqual(marked.status, { conditions: [own], observedGeneration: 4 });
  });
});
