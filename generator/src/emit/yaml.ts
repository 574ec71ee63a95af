/**
 * Deterministic YAML: keys sorted at every level, no line folding, a stable header.
 *
 * Scalars are quoted as YAML 1.1 needs (`"y"`, `"no"`, `"on"`, `"0755"`): kubectl and the API
 * server read YAML 1.1, where a property named `y` is otherwise the boolean true.
 */
import { stringify } from 'yaml';
import { generatedHeader } from './output-file.ts';

const options = {
  sortMapEntries: true,
  lineWidth: 0,
  indentSeq: true,
  aliasDuplicateObjects: false,
  version: '1.1',
} as const;

export function toYaml(value: unknown, headerLines: readonly string[] = []): string {
  const body = stringify(value, options);
  const header = [generatedHeader, ...headerLines].map((line) => (line.startsWith('#') ? line : `# ${line}`));
  return `${header.join('\n')}\n---\n${body}`;
}
