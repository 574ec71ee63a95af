/** Options of the CRD emitter. */
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
   * Below 1.25 `x-kubernetes-validations` (CEL) is left out: older servers ignore it.
   */
  readonly kubeVersion?: string;
}

export const defaultCrdDir = 'config/crd/bases';
export const defaultKubeVersion = '1.25';
/** Where CEL validation rules (x-kubernetes-validations) are enforced. */
export const celMinimumKubeVersion = '1.25';

export function kubeVersionAtLeast(version: string, minimum: string): boolean {
  const parse = (v: string): readonly number[] => v.replace(/^v/, '').split('.').map(Number);
  const [aMajor = 0, aMinor = 0] = parse(version);
  const [bMajor = 0, bMinor = 0] = parse(minimum);
  return aMajor > bMajor || (aMajor === bMajor && aMinor >= bMinor);
}

export function isKubeVersionString(version: string): boolean {
  return /^v?\d+\.\d+$/.test(version);
}
