/**
 * Kubernetes minor versions (`1.30`, a leading `v` accepted) and the versions that bring the
 * parts of CRD validation rules.
 */

/** The newest Kubernetes minor version whose CEL environment is modelled here. */
export const latestKubeVersion = '1.34';

export function kubeVersionAtLeast(version: string, minimum: string): boolean {
  const parse = (v: string): readonly number[] => v.replace(/^v/, '').split('.').map(Number);
  const [aMajor = 0, aMinor = 0] = parse(version);
  const [bMajor = 0, bMinor = 0] = parse(minimum);
  return aMajor > bMajor || (aMajor === bMajor && aMinor >= bMinor);
}

/** Where each field of a validation rule is first accepted by the API server. */
export const ruleFieldSince = {
  rule: '1.25',
  message: '1.25',
  messageExpression: '1.27',
  reason: '1.28',
  fieldPath: '1.28',
  /** Alpha (CRDValidationRatcheting) in 1.29, on by default from 1.30. */
  optionalOldSelf: '1.30',
} as const;

/** The Kubernetes versions at which the CEL environment changes, oldest first. */
export const celEnvironmentVersions = ['1.25', '1.29', '1.30', '1.31', '1.32', latestKubeVersion] as const;
