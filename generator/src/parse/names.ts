/** Naming rules the parser checks; default names come from view-models/names.ts. */
export { defaultPlural } from '../view-models/names.ts';

/** A DNS-1123 subdomain with at least one dot, as CRD groups must be. */
export function isValidGroup(group: string): boolean {
  return (
    group.length <= 253 &&
    group.includes('.') &&
    group.split('.').every((label) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(label) && label.length <= 63)
  );
}
