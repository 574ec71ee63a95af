/**
 * Options of the CRD emitter and the Kubernetes versions they gate. A target version is
 * `major.minor` (a leading `v` is accepted); kubeforge writes apiextensions.k8s.io/v1 CRDs,
 * which servers serve from 1.16.
 */
export interface CrdOptions {
  /** Directory of the CRD files, project-relative; default `config/crd/bases`. */
  readonly outputDir?: string;
  /**
   * Caps every `description` at this many characters (0 drops them), to keep CRDs under the
   * 256 KiB annotation limit of client-side `kubectl apply`. Default: no cap.
   */
  readonly maxDescriptionLength?: number;
  /**
   * The oldest Kubernetes version the CRDs must work on, `major.minor`; default `1.25`.
   * Below 1.25 `x-kubernetes-validations` (CEL) is left out: older servers ignore it; below
   * 1.30 `selectableFields` is an error (older servers drop it).
   */
  readonly kubeVersion?: string;
}

export const defaultCrdDir = 'config/crd/bases';
export const defaultKubeVersion = '1.25';
/** Where CEL validation rules (x-kubernetes-validations) are enforced. */
export const celMinimumKubeVersion = '1.25';
/** Where CRD `selectableFields` are served (CustomResourceFieldSelectors, GA in 1.32, on by default from 1.31, beta 1.30). */
export const selectableFieldsMinimumKubeVersion = '1.30';
/** The oldest server that serves apiextensions.k8s.io/v1 CRDs. */
export const oldestKubeVersion = '1.16';

export function kubeVersionAtLeast(version: string, minimum: string): boolean {
  const parse = (v: string): readonly number[] => v.replace(/^v/, '').split('.').map(Number);
  const [aMajor = 0, aMinor = 0] = parse(version);
  const [bMajor = 0, bMinor = 0] = parse(minimum);
  return aMajor > bMajor || (aMajor === bMajor && aMinor >= bMinor);
}

export function isKubeVersionString(version: string): boolean {
  return kubeVersionProblem(version) === undefined;
}

/** What is wrong with a target Kubernetes version, or `undefined` when it is usable. */
export function kubeVersionProblem(version: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)$/.exec(version);
  if (!match) return `"${version}" is not a Kubernetes minor version such as 1.30`;
  if (match[1] !== '1') return `"${version}": Kubernetes versions start with 1. (e.g. 1.30)`;
  if (!kubeVersionAtLeast(version, oldestKubeVersion)) {
    return `"${version}" is older than ${oldestKubeVersion}, the first release serving apiextensions.k8s.io/v1 CRDs`;
  }
  return undefined;
}

/** What is wrong with a description cap, or `undefined` when it is usable. */
export function maxDescriptionLengthProblem(value: number): string | undefined {
  return Number.isSafeInteger(value) && value >= 0
    ? undefined
    : `${String(value)} is not a non-negative integer (0 drops descriptions)`;
}
