/** Deterministic YAML: keys sorted at every level, no line folding, a stable header. */
import { stringify } from 'yaml';
import { generatedHeader } from './output-file.ts';

export function toYaml(value: unknown, headerLines: readonly string[] = []): string {
  const body = stringify(value, {
    sortMapEntries: true,
    lineWidth: 0,
    indentSeq: true,
    aliasDuplicateObjects: false,
  });
  const header = [generatedHeader, ...headerLines].map((line) => (line.startsWith('#') ? line : `# ${line}`));
  return `${header.join('\n')}\n---\n${body}`;
}
