/**
 * `kubeforge create api` for a kind the project already has at other versions, as kubebuilder
 * does it: the new version's types are a copy of the storage version's, which stays the
 * storage version (a single unmarked version gets `@storageVersion`, as the generator wants
 * exactly one among several), a sample, one more project file entry, then generate. No
 * controller is scaffolded: the kind's controller keeps reconciling the storage version.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kebabCase } from '@kubeforge/generator/names';
import { CliError } from '../errors.ts';
import type { Output } from '../output.ts';
import { templatesDir } from '../project/checkout.ts';
import { loadGenerator, runGeneration } from '../project/generation.ts';
import {
  PROJECT_FILE,
  kindHasController,
  serializeProjectFile,
  type Project,
  type ProjectResource,
} from '../project/project-file.ts';
import {
  addStorageVersionMarker,
  copySampleToVersion,
  copyTypesToVersion,
  declaresResource,
  hasStorageVersionMarker,
} from '../scaffold/api-version.ts';
import { applyFilePlan, type PlannedFile } from '../scaffold/file-plan.ts';
import { formatLineChange, lineChange } from '../scaffold/line-diff.ts';
import { renderTemplate } from '../scaffold/render.ts';
import { samplePath, samplesKustomization } from '../scaffold/samples.ts';
import type { ValidatedApi } from './create-api.ts';

/** Reads a project-relative file; undefined when it does not exist. */
export type ReadProjectFile = (path: string) => string | undefined;

export interface NewVersionPlan {
  readonly files: PlannedFile[];
  readonly resource: ProjectResource;
  /** The storage version, whose types were copied. */
  readonly storage: ProjectResource;
  /** The user's types file that got `@storageVersion`, before and after, if one did. */
  readonly storageEdit:
    { readonly path: string; readonly before: string; readonly after: string } | undefined;
}

/**
 * Adding a version to a kind the project has: the new types file copies the storage version's
 * (or the only version's), which stays the storage version. The generator wants exactly one
 * `@storageVersion` among several versions, so a single unmarked version gets the marker.
 */
export function planNewVersion(project: Project, api: ValidatedApi, read: ReadProjectFile): NewVersionPlan {
  const sources = api.existing.map((resource) => {
    const source = read(resource.path);
    if (source === undefined || !declaresResource(source, api.kind)) {
      throw new CliError(
        'InvalidInput',
        `${resource.path} (${api.kind} ${api.group}/${resource.version} in ${PROJECT_FILE}) does not declare \`export interface ${api.kind}\` with its doc comment`,
        { hint: `nothing was written; fix the path in ${PROJECT_FILE} or restore the file` },
      );
    }
    return { resource, source, marked: hasStorageVersionMarker(source, api.kind) };
  });
  const marked = sources.filter((s) => s.marked);
  const only = sources.length === 1 ? sources[0] : undefined;
  const storage = marked.length === 1 ? marked[0] : only;
  if (storage === undefined && marked.length > 1) {
    throw new CliError(
      'InvalidInput',
      `${api.kind} has ${marked.length} versions marked @storageVersion (${marked.map((s) => `${s.resource.version} in ${s.resource.path}`).join(', ')}); exactly one must keep it`,
      {
        hint: 'nothing was written; keep @storageVersion on the version objects are stored in, remove it from the others, run `kubeforge generate`, then add the version again',
      },
    );
  }
  if (storage === undefined) {
    throw new CliError(
      'InvalidInput',
      `${api.kind} has versions ${api.existing.map((r) => r.version).join(', ')} and none marked @storageVersion; exactly one must be`,
      {
        hint: 'nothing was written; mark the version objects are stored in with @storageVersion, run `kubeforge generate`, then add the version again',
      },
    );
  }
  const copy = { group: api.group, kind: api.kind, from: storage.resource.version, to: api.version };
  const files: PlannedFile[] = [];
  let storageEdit: NewVersionPlan['storageEdit'];
  if (!storage.marked) {
    const withMarker = addStorageVersionMarker(storage.source, api.kind);
    if (withMarker === undefined) {
      throw new CliError(
        'InvalidInput',
        `cannot find the @resource line of ${api.kind} in ${storage.resource.path} to mark it @storageVersion`,
        {
          hint: `nothing was written; add @storageVersion to the doc comment of ${api.kind} there, then retry`,
        },
      );
    }
    files.push({ path: storage.resource.path, contents: withMarker, mode: 'update' });
    storageEdit = { path: storage.resource.path, before: storage.source, after: withMarker };
  }
  const typesPath = `src/apis/${api.group}/${api.version}/${kebabCase(api.kind)}.ts`;
  const resource: ProjectResource = {
    group: api.group,
    version: api.version,
    kind: api.kind,
    plural: api.plural,
    scope: api.scope,
    path: typesPath,
    controller: false,
  };
  const existingSample = read(samplePath(storage.resource));
  const sample =
    existingSample === undefined
      ? renderTemplate(
          readFileSync(join(templatesDir(), 'project', 'api', 'sample.yaml.hbs'), 'utf8'),
          {
            group: api.group,
            version: api.version,
            kind: api.kind,
            sampleName: `${kebabCase(api.kind)}-sample-${api.version}`,
            projectName: project.file.name,
          },
          'sample.yaml.hbs',
        )
      : copySampleToVersion(existingSample, copy);
  const resources = [...project.file.resources, resource];
  files.push(
    { path: typesPath, contents: copyTypesToVersion(storage.source, copy), mode: 'create' },
    { path: samplePath(api), contents: sample, mode: 'create' },
    { path: 'config/samples/kustomization.yaml', contents: samplesKustomization(resources), mode: 'update' },
    { path: PROJECT_FILE, contents: serializeProjectFile({ ...project.file, resources }), mode: 'update' },
  );
  return { files, resource, storage: storage.resource, storageEdit };
}

/**
 * `create api` for a kind the project has at other versions: writes the new version's types
 * and sample and generates. No controller is scaffolded: the kind's controller, if any, keeps
 * working with the storage version.
 */
export async function addApiVersion(
  project: Project,
  api: ValidatedApi,
  output: Output,
): Promise<ProjectResource> {
  const read: ReadProjectFile = (path) => {
    const absolute = join(project.root, path);
    return existsSync(absolute) ? readFileSync(absolute, 'utf8') : undefined;
  };
  const plan = planNewVersion(project, api, read);
  const applied = applyFilePlan(project.root, plan.files);
  let result;
  try {
    result = await runGeneration({ projectDir: project.root, scaffold: false });
  } catch (err) {
    applied.rollback();
    throw err;
  }
  const written = [...new Set([...applied.created, ...applied.updated, ...result.written])];
  const controller = kindHasController(project.file.resources, api)
    ? (await loadGenerator()).controllerPath({ kind: api.kind })
    : undefined;
  output.info(versionAddedReport(api, plan, written, controller).join('\n'));
  return plan.resource;
}

/**
 * What `create api` reports after adding a version: the files it wrote, then the edit it made
 * to the user's types file (the `@storageVersion` line), diff-like, and the next steps.
 */
export function versionAddedReport(
  api: Pick<ValidatedApi, 'group' | 'version' | 'kind' | 'scope' | 'existing'>,
  plan: Pick<NewVersionPlan, 'resource' | 'storage' | 'storageEdit'>,
  written: readonly string[],
  controller: string | undefined,
): string[] {
  const storage = plan.storage.version;
  const edit = plan.storageEdit;
  const change = edit && lineChange(edit.before, edit.after);
  return [
    `Added version ${api.version} of ${api.kind} (${api.group}, ${api.scope}), a copy of ${storage}; ${storage} stays the storage version:`,
    ...written.filter((path) => path !== edit?.path).map((path) => `  wrote ${path}`),
    ...(edit === undefined || change === undefined
      ? []
      : formatLineChange(
          edit.path,
          change,
          `your ${storage} types: a kind with several versions needs exactly one @storageVersion`,
        )),
    ...[
      '',
      'Next steps:',
      `  edit ${plan.resource.path} (the ${api.version} API), then run \`npx kubeforge generate\``,
      ...(controller === undefined
        ? []
        : [
            `  ${controller} still reconciles ${api.kind} at ${storage}; no second controller was scaffolded`,
          ]),
      '  npm run build',
      '',
      `hint: without a conversion webhook the API server converts between versions by changing only apiVersion, so all versions (${[...api.existing.map((r) => r.version), api.version].join(', ')}) must keep the same schema (generate refuses versions that differ); to change a schema, convert through ${storage}:`,
      `  npx kubeforge create webhook --group ${api.group} --version ${storage} --kind ${api.kind} --conversion`,
    ],
  ];
}
