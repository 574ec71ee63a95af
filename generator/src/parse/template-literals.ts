/**
 * Template literal types (`v${number}`, `${'docker.io' | 'ghcr.io'}/${string}`) become
 * strings with an RE2 pattern that accepts exactly what the type accepts, as far as a
 * placeholder has a pattern (`string`, `number`, `bigint`, `boolean`, literals, unions).
 */
import { ts } from 'ts-morph';

const regexSpecial = /[.*+?^${}()|[\]\\]/g;

function escape(text: string): string {
  return text.replace(regexSpecial, '\\$&');
}

/** An unanchored pattern of the strings of a string-like type, or `undefined` when there is none. */
export function stringPattern(type: ts.Type): string | undefined {
  if (type.flags & ts.TypeFlags.TemplateLiteral) {
    const template = type as ts.TemplateLiteralType;
    const parts: string[] = [];
    for (const [index, text] of template.texts.entries()) {
      parts.push(escape(text));
      const placeholder = template.types[index];
      if (placeholder === undefined) continue;
      const piece = stringPattern(placeholder);
      if (piece === undefined) return undefined;
      parts.push(piece);
    }
    return parts.join('');
  }
  if (type.flags & ts.TypeFlags.String) return '.*';
  if (type.flags & ts.TypeFlags.Number) return '-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?';
  if (type.flags & ts.TypeFlags.BigInt) return '-?[0-9]+';
  if (type.flags & ts.TypeFlags.Boolean) return '(true|false)';
  if (type.flags & ts.TypeFlags.StringLiteral) return escape((type as ts.StringLiteralType).value);
  if (type.flags & ts.TypeFlags.NumberLiteral) return escape(String((type as ts.NumberLiteralType).value));
  if (type.flags & ts.TypeFlags.Union) {
    const alternatives = (type as ts.UnionType).types.map(stringPattern);
    return alternatives.every((a) => a !== undefined) ? `(${alternatives.join('|')})` : undefined;
  }
  return undefined;
}

/** Whether every member is a string literal or template literal type (and at least one is a template). */
export function isTemplateUnion(members: readonly ts.Type[]): boolean {
  return (
    members.some((m) => m.flags & ts.TypeFlags.TemplateLiteral) &&
    members.every((m) => m.flags & (ts.TypeFlags.TemplateLiteral | ts.TypeFlags.StringLiteral))
  );
}
