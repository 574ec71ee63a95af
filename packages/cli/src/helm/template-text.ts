/**
 * Turns rendered objects into Helm template text. An object is prepared with marker strings
 * where chart values go, written as YAML, and each marker is then replaced: inline markers by
 * a `{{ ... }}` expression inside the value, line markers by a whole block of lines (an
 * `{{- if }}` around a list item, `toYaml | nindent` for a map) at the line's indentation.
 * Markers are unique tokens that YAML writes as plain scalars, so the replacement is exact.
 */
import { stringify } from 'yaml';

/** Replaces the line holding a marker; gets the line's indentation and its text before the marker. */
export type LineSplice = (indent: string, before: string) => string;

export class TemplateBuilder {
  private readonly inline = new Map<string, string>();
  private readonly lines = new Map<string, LineSplice>();
  private count = 0;

  /** A token that becomes `expression` where it stands. */
  inlineMarker(expression: string): string {
    const marker = this.next();
    this.inline.set(marker, expression);
    return marker;
  }

  /** A token whose whole line becomes what `splice` returns. */
  lineMarker(splice: LineSplice): string {
    const marker = this.next();
    this.lines.set(marker, splice);
    return marker;
  }

  /** `value` as YAML with every marker replaced. */
  render(value: unknown): string {
    let text = stringify(value, { lineWidth: 0 });
    text = text
      .split('\n')
      .map((line) => {
        for (const [marker, splice] of this.lines) {
          const at = line.indexOf(marker);
          if (at === -1) continue;
          const indent = /^ */.exec(line)?.[0] ?? '';
          return splice(indent, line.slice(indent.length, at));
        }
        return line;
      })
      .join('\n');
    for (const [marker, expression] of this.inline) text = text.replaceAll(marker, expression);
    const left = /__kubeforge_\d+__/.exec(text);
    if (left !== null) throw new Error(`marker ${left[0]} was not replaced (written in an unexpected form)`);
    return text;
  }

  private next(): string {
    this.count += 1;
    return `__kubeforge_${this.count}__`;
  }
}

/** `{{- if <condition> }}` … `{{- end }}` around `body` lines, all at `indent`. */
export function conditionalLines(indent: string, condition: string, body: readonly string[]): string {
  return [`${indent}{{- if ${condition} }}`, ...body.map((l) => `${indent}${l}`), `${indent}{{- end }}`].join(
    '\n',
  );
}

/** A whole file shown only when `condition` holds. */
export function conditionalFile(condition: string, text: string): string {
  return `{{- if ${condition} }}\n${text.trimEnd()}\n{{- end }}\n`;
}
