/** Default resource names derived from a kind, like kubebuilder's. */

/** `BackupSchedule` -> `backupschedules`, `Policy` -> `policies`, `Ingress` -> `ingresses`. */
export function defaultPlural(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** A DNS-1123 subdomain with at least one dot, as CRD groups must be. */
export function isValidGroup(group: string): boolean {
  return (
    group.length <= 253 &&
    group.includes('.') &&
    group.split('.').every((label) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(label) && label.length <= 63)
  );
}
