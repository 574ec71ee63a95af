/**
 * The CRD settings of `generate` and `manifests`: the target Kubernetes version and the
 * description cap, from the command line or the `generate` section of kubeforge.json (a flag
 * wins over the file). Values are checked here, before anything is generated, so a bad one is
 * reported with where it came from and how to fix it.
 */
import { CliError } from '../errors.ts';
import { loadGenerator } from './generation.ts';
import { PROJECT_FILE, type GenerateSettings, type Project } from './project-file.ts';

export interface CrdSettingFlags {
  readonly kubeVersion?: string | undefined;
  readonly maxDescriptionLength?: number | undefined;
}

/** The settings in effect; throws `InvalidArgument` (flags) or `InvalidInput` (kubeforge.json). */
export async function resolveCrdSettings(
  project: Project,
  flags: CrdSettingFlags,
): Promise<GenerateSettings> {
  const { kubeVersionProblem, maxDescriptionLengthProblem } = await loadGenerator();
  const file = project.file.generate ?? {};
  const settings: { kubeVersion?: string; maxDescriptionLength?: number } = {};

  const kubeVersion = flags.kubeVersion ?? file.kubeVersion;
  if (kubeVersion !== undefined) {
    const problem = kubeVersionProblem(kubeVersion);
    if (problem !== undefined) {
      throw flags.kubeVersion === undefined
        ? new CliError('InvalidInput', `${PROJECT_FILE}: generate.kubeVersion ${problem}`, {
            hint: `set generate.kubeVersion to the oldest Kubernetes version the CRDs must work on, e.g. "1.30"`,
          })
        : new CliError('InvalidArgument', `--kube-version ${problem}`, {
            hint: 'pass the oldest Kubernetes version the CRDs must work on, e.g. --kube-version 1.30',
          });
    }
    settings.kubeVersion = kubeVersion.replace(/^v/, '');
  }

  const max = flags.maxDescriptionLength ?? file.maxDescriptionLength;
  if (max !== undefined) {
    const problem = maxDescriptionLengthProblem(max);
    if (problem !== undefined) {
      throw flags.maxDescriptionLength === undefined
        ? new CliError('InvalidInput', `${PROJECT_FILE}: generate.maxDescriptionLength ${problem}`, {
            hint: 'set generate.maxDescriptionLength to the longest description to keep, e.g. 80',
          })
        : new CliError('InvalidArgument', `--max-description-length ${problem}`, {
            hint: 'pass the longest description to keep, in characters, e.g. --max-description-length 80',
          });
    }
    settings.maxDescriptionLength = max;
  }
  return settings;
}

/** yargs options shared by `generate` and `manifests`. */
export const crdSettingOptions = {
  'kube-version': {
    type: 'string',
    describe:
      'Oldest Kubernetes version the CRDs must work on, e.g. 1.30 (gates CEL rules and selectableFields; default 1.25, or generate.kubeVersion in kubeforge.json)',
  },
  'max-description-length': {
    type: 'number',
    describe:
      'Cap every CRD description at this many characters, 0 drops them (default: no cap, or generate.maxDescriptionLength in kubeforge.json)',
  },
} as const;

/** The CRD setting flags given on the command line (absent ones stay unset, so the project file applies). */
export function flagsOf(args: {
  readonly 'kube-version': string | undefined;
  readonly 'max-description-length': number | undefined;
}): CrdSettingFlags {
  return {
    ...(args['kube-version'] === undefined ? {} : { kubeVersion: args['kube-version'] }),
    ...(args['max-description-length'] === undefined
      ? {}
      : { maxDescriptionLength: args['max-description-length'] }),
  };
}
