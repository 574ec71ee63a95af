/**
 * Kubernetes versions as tests need them: parsed from `kube-apiserver --version` or the server's
 * `/version`, compared by minor release. Distribution suffixes (`v1.34.9+k3s1`, `-gke.100`) are
 * kept in `gitVersion` and ignored by comparisons.
 */
import { ControlPlaneError } from './errors.ts';

export interface ServerVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** As the server reports it, e.g. `v1.34.9`. */
  readonly gitVersion: string;
  /** True when this version is `minimum` (`'1.30'` or `'1.30.2'`) or newer. */
  atLeast(minimum: string): boolean;
}

const versionPattern = /v?(\d+)\.(\d+)(?:\.(\d+))?/;

/** Parses `v1.34.9`, `Kubernetes v1.20.2` or `1.30`; throws on anything else. */
export function parseServerVersion(text: string): ServerVersion {
  const match = versionPattern.exec(text);
  if (!match) throw new ControlPlaneError(`cannot read a Kubernetes version from '${text.trim()}'`);
  const [, major = '0', minor = '0', patch = '0'] = match;
  const gitVersion = /v\d+\.\d+\.\d+\S*/.exec(text)?.[0] ?? `v${major}.${minor}.${patch}`;
  return versionOf(Number(major), Number(minor), Number(patch), gitVersion);
}

function versionOf(major: number, minor: number, patch: number, gitVersion: string): ServerVersion {
  return {
    major,
    minor,
    patch,
    gitVersion,
    atLeast(minimum) {
      const wanted = parseServerVersion(minimum);
      return compare([major, minor, patch], [wanted.major, wanted.minor, wanted.patch]) >= 0;
    },
  };
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
