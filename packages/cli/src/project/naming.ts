/**
 * Kubernetes naming rules for what users type on the command line. Each validator returns
 * `undefined` for a valid name or a sentence explaining the rule that was broken, so the
 * command can say what is wrong and how to fix it in one message.
 */

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const apiVersion = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
const kindName = /^[A-Z][A-Za-z0-9]*$/;

/** A DNS-1123 label: lowercase alphanumerics and '-', at most 63 characters. */
export function checkDnsLabel(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 63) return `must be at most 63 characters (it has ${value.length})`;
  if (!dnsLabel.test(value)) {
    return 'must consist of lowercase letters, digits and "-", and start and end with a letter or digit (a DNS-1123 label)';
  }
  return undefined;
}

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters. */
export function checkDnsSubdomain(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 253) return `must be at most 253 characters (it has ${value.length})`;
  if (!dnsSubdomain.test(value)) {
    return 'must be lowercase labels of letters, digits and "-" separated by dots, e.g. example.com (a DNS-1123 subdomain)';
  }
  return undefined;
}

/** A domain for API groups: a DNS-1123 subdomain. */
export function checkDomain(value: string): string | undefined {
  return checkDnsSubdomain(value);
}

/** A CRD's group: a DNS-1123 subdomain with at least one dot (the API server requires it). */
export function checkGroup(value: string): string | undefined {
  const subdomain = checkDnsSubdomain(value);
  if (subdomain !== undefined) return subdomain;
  if (!value.includes('.')) return 'must contain a dot, e.g. webapp.example.com';
  return undefined;
}

/** An API version: `v1`, `v2`, `v1beta1`, `v1alpha2`. */
export function checkApiVersion(value: string): string | undefined {
  if (!apiVersion.test(value)) {
    return 'must look like v1, v2, v1beta1 or v1alpha1 (v<major>[alpha|beta<minor>], numbers without leading zeros)';
  }
  return undefined;
}

/** A kind: UpperCamelCase, letters and digits, at most 63 characters. */
export function checkKind(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 63) return `must be at most 63 characters (it has ${value.length})`;
  if (!kindName.test(value)) {
    return 'must be UpperCamelCase: start with an uppercase letter, then letters and digits only (e.g. BackupSchedule)';
  }
  if (value.endsWith('List')) return 'must not end with "List" (the API reserves <Kind>List for lists)';
  return undefined;
}

/** A default project name from a directory name, or `undefined` when none can be derived. */
export function projectNameFromDirectory(directoryName: string): string | undefined {
  const candidate = directoryName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return checkDnsLabel(candidate) === undefined ? candidate : undefined;
}
