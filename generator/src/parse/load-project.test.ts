/**
 * What a project session loads: API files type-checked with their imports only, controller
 * files parsed alone for their markers, so a cold run never parses the runtime client or
 * @kubernetes/client-node when API types import the object model from @kubeforge/runtime/api.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scratchDir } from '../testing/index.ts';
import { openProject, type ProjectSession } from './load-project.ts';

const apiFile = 'src/apis/demo.example.com/v1/gadget.ts';
const controllerFile = 'src/controllers/gadget.controller.ts';

const gadgetSource = `import type { int32, ObjectMeta } from '@kubeforge/runtime/api';

/** @resource */
export interface Gadget {
  metadata: ObjectMeta;
  spec: { replicas: int32 };
}
`;

function controllerSource(verbs: string): string {
  return `import { createManager, type Manager } from '@kubeforge/runtime';
import type { Gadget } from '../apis/demo.example.com/v1/gadget.ts';

/** @rbac groups=apps resources=deployments verbs=${verbs} */
export function start(gadget: Gadget): Manager {
  return createManager({} as never);
}
`;
}

function write(dir: string, file: string, contents: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), contents);
}

describe('openProject', () => {
  let dir: string;
  let session: ProjectSession;

  before(() => {
    dir = scratchDir('load-project');
    // No `lib`: the target's default library would include the DOM.
    write(
      dir,
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          customConditions: ['kubeforge-source'],
          strict: true,
          types: ['node'],
        },
        include: ['src'],
      }),
    );
    write(dir, apiFile, gadgetSource);
    write(dir, controllerFile, controllerSource('get;list'));
    session = openProject({ projectDir: dir });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('recognises runtime types imported from @kubeforge/runtime/api', () => {
    const { model, diagnostics } = session.load();
    assert.deepEqual(diagnostics, []);
    const spec = model.kinds[0]?.versions[0]?.schema.properties?.spec;
    assert.deepEqual(spec?.properties?.replicas, { type: 'integer', format: 'int32' });
  });

  it('type-checks the API files and the object model, not the client, the controllers or the DOM', () => {
    session.load();
    const files = session.typeCheckedFiles();
    assert.ok(files.some((f) => f.endsWith(apiFile)));
    assert.ok(files.some((f) => f.endsWith('packages/runtime/src/api/object-meta.ts')));
    const unwanted = files.filter(
      (f) =>
        f.includes('@kubernetes/client-node') ||
        f.includes('/src/controllers/') ||
        f.includes('packages/runtime/src/client/') ||
        f.includes('@types/node') ||
        /lib\.dom\b/.test(f),
    );
    assert.deepEqual(unwanted, []);
  });

  it('still reads the markers of controllers and follows their edits', () => {
    assert.deepEqual(
      session.load().model.rbacRules.map((r) => r.verbs),
      [['get', 'list']],
    );
    write(dir, controllerFile, controllerSource('get;list;watch'));
    const { model, diagnostics } = session.update([controllerFile]);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      model.rbacRules.map((r) => r.verbs),
      [['get', 'list', 'watch']],
    );
  });

  it('reports syntax errors in controller files', () => {
    write(dir, controllerFile, `${controllerSource('get')}\nexport function broken( {\n`);
    const { diagnostics } = session.update([controllerFile]);
    assert.deepEqual(
      diagnostics.map((d) => `${d.code} ${d.file ?? ''}`),
      [`syntax-error ${controllerFile}`],
    );
    write(dir, controllerFile, controllerSource('get'));
    assert.deepEqual(session.update([controllerFile]).diagnostics, []);
  });
});
