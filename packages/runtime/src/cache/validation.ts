/**
 * apimachinery's syntax rules for label keys and values (IsQualifiedName, IsValidLabelValue),
 * returning human-readable problems instead of throwing.
 */

const NAME_MAX = 63;
const PREFIX_MAX = 253;
const NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Problems with a label key (a qualified name: `name` or `prefix/name`, where `prefix` is a
 * DNS subdomain); empty when the key is valid.
 */
export function labelKeyProblems(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) {
    return [
      `a label key has at most one '/', between an optional DNS subdomain prefix and a name (e.g. 'example.com/my-key')`,
    ];
  }
  const problems: string[] = [];
  const name = parts.length === 2 ? parts[1] : parts[0];
  const prefix = parts.length === 2 ? parts[0] : undefined;
  if (prefix !== undefined) {
    if (prefix === '') problems.push(`the prefix part before '/' must not be empty`);
    else if (prefix.length > PREFIX_MAX)
      problems.push(`the prefix part must be at most ${PREFIX_MAX} characters`);
    else if (!DNS_SUBDOMAIN_RE.test(prefix)) {
      problems.push(
        `the prefix part must be a DNS subdomain: lowercase alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character (e.g. 'example.com')`,
      );
    }
  }
  if (name === undefined || name === '') problems.push(`the name part must not be empty`);
  else if (name.length > NAME_MAX) problems.push(`the name part must be at most ${NAME_MAX} characters`);
  else if (!NAME_RE.test(name)) {
    problems.push(
      `the name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name', '123-abc')`,
    );
  }
  return problems;
}

/** Problems with a label value (may be empty); empty when the value is valid. */
export function labelValueProblems(value: string): string[] {
  if (value.length > NAME_MAX) return [`a label value must be at most ${NAME_MAX} characters`];
  if (!VALUE_RE.test(value)) {
    return [
      `a label value must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value', '12345')`,
    ];
  }
  return [];
}
