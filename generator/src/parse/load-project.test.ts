/**
 * What a project session loads: API files type-checked with their imports only, controller
 * files parsed alone for their markers, so a cold run never parses the runtime client or
 * @kubernetes/client-node when API types import the object model, from @kubeforge/runtime/api
 * or from the runtime's root.
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

  it('type-checks API files that import the runtime root against the object model only', () => {
    const rootFile = 'src/apis/demo.example.com/v1/widget.ts';
    write(
      dir,
      rootFile,
      `import type { Condition, IntOrString, ObjectMeta } from '@kubeforge/runtime';

/** @resource */
export interface Widget {
  metadata: ObjectMeta;
  spec: { port: IntOrString };
  status?: { conditions?: Condition[] };
}
`,
    );
    try {
      const { model, diagnostics } = session.update([rootFile]);
      assert.deepEqual(diagnostics, []);
      const widget = model.kinds.find((k) => k.kind === 'Widget')?.versions[0]?.schema;
      assert.equal(widget?.properties?.spec?.properties?.port?.['x-kubernetes-int-or-string'], true);
      const files = session.typeCheckedFiles();
      assert.deepEqual(
        files.filter(
          (f) => f.includes('@kubernetes/client-node') || f.includes('packages/runtime/src/client/'),
        ),
        [],
      );
      assert.equal(
        files.some((f) => f.endsWith('packages/runtime/src/index.ts')),
        false,
      );
    } finally {
      rmSync(join(dir, rootFile));
      session.update([rootFile]);
    }
  });

  it('reports a name only the runtime root exports, used in an API type, with the fix', () => {
    const rootFile = 'src/apis/demo.example.com/v1/widget.ts';
    write(
      dir,
      rootFile,
      `import type { Manager, ObjectMeta } from '@kubeforge/runtime';

/** @resource */
export interface Widget {
  metadata: ObjectMeta;
  spec: { manager: Manager };
}
`,
    );
    try {
      const { diagnostics } = session.update([rootFile]);
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.path]),
        [['unresolved-type', 'Widget.spec.manager']],
      );
      assert.match(diagnostics[0]?.hint ?? '', /@kubeforge\/runtime\/api/);
    } finally {
      rmSync(join(dir, rootFile));
      session.update([rootFile]);
    }
  });
});
