/**
 * The manifest pipeline end to end: parse -> model -> CRD, RBAC and webhook emitters -> writer. When
 * any error is found nothing is written.
 */
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/index.ts';
import {
  checkCrds,
  crdSizes,
  defaultCrdDir,
  emitCrds,
  emitRbac,
  emitWebhooks,
  kubeVersionProblem,
  maxDescriptionLengthProblem,
  readWebhookDeployment,
  webhookDir,
  type CrdOptions,
  type CrdSize,
  type OutputFile,
  type WebhookDeployment,
} from './emit/index.ts';
import type { ProjectModel } from './model/index.ts';
import { openProject, type LoadProjectOptions, type ProjectSession } from './parse/index.ts';
import { writeOutputs, type WriteResult } from './write/index.ts';

export interface GenerateManifestsOptions extends LoadProjectOptions, CrdOptions {
  /** Compare with the files on disk instead of writing (`stale` lists the differences). */
  readonly check?: boolean;
  /** Reuse a session (watch mode): pass the files that changed since the last run. */
  readonly session?: ProjectSession;
  readonly changedFiles?: readonly string[];
  /** config/default's namespace and name prefix, for `config/webhook/`; read from it when absent. */
  readonly webhookDeployment?: WebhookDeployment;
}

export interface GenerateManifestsResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly model: ProjectModel;
  /** The emitted files; empty when there are errors. */
  readonly files: readonly OutputFile[];
  readonly crdSizes: readonly CrdSize[];
  /** What the writer did; `undefined` when errors stopped the run. */
  readonly write?: WriteResult;
}

export function generateManifests(options: GenerateManifestsOptions): GenerateManifestsResult {
  const optionProblems = checkCrdOptions(options);
  const session = options.session ?? openProject(options);
  const loaded = options.changedFiles ? session.update(options.changedFiles) : session.load();
  const parseDiagnostics = [...optionProblems, ...loaded.diagnostics];
  if (hasErrors(parseDiagnostics)) {
    return { diagnostics: sortDiagnostics(parseDiagnostics), model: loaded.model, files: [], crdSizes: [] };
  }
  const crds = emitCrds(loaded.model, options);
  const deployment = options.webhookDeployment ?? readWebhookDeployment(options.projectDir);
  const files = [...crds, ...emitRbac(loaded.model), ...emitWebhooks(loaded.model, deployment)];
  const diagnostics = sortDiagnostics([...parseDiagnostics, ...checkCrds(loaded.model, crds, options)]);
  if (hasErrors(diagnostics)) return { diagnostics, model: loaded.model, files: [], crdSizes: [] };
  const write = writeOutputs(files, {
    projectDir: options.projectDir,
    pruneDirs: [options.outputDir ?? defaultCrdDir, webhookDir],
    ...(options.check ? { check: true } : {}),
  });
  return { diagnostics, model: loaded.model, files, crdSizes: crdSizes(crds), write };
}

/** Options that cannot be used, as `invalid-option` errors naming the option and the fix. */
export function checkCrdOptions(options: CrdOptions): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const version = options.kubeVersion === undefined ? undefined : kubeVersionProblem(options.kubeVersion);
  if (version !== undefined) {
    problems.push({
      severity: 'error',
      code: 'invalid-option',
      message: `kubeVersion ${version}`,
      hint: 'give the oldest Kubernetes minor version the CRDs must work on, e.g. 1.30',
    });
  }
  const max =
    options.maxDescriptionLength === undefined
      ? undefined
      : maxDescriptionLengthProblem(options.maxDescriptionLength);
  if (max !== undefined) {
    problems.push({
      severity: 'error',
      code: 'invalid-option',
      message: `maxDescriptionLength ${max}`,
      hint: 'give the longest description to keep, in characters, e.g. 80',
    });
  }
  return problems;
}
