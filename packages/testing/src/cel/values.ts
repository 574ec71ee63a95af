/**
 * CEL values as the evaluator holds them (`int` as bigint, `double` as number, lists as
 * arrays, maps and objects as plain objects or Maps) and CEL's equality and ordering on them.
 */

export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'bigint' || typeof a === 'number') {
    // CEL compares int and double by value.
    return (typeof b === 'bigint' || typeof b === 'number') && a == b;
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  }
  if (a instanceof Uint8Array) {
    return b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    if (a instanceof Date || b instanceof Date) {
      return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
    }
    const left = entriesOf(a);
    const right = new Map(entriesOf(b));
    if (left.length !== right.size) return false;
    return left.every(([k, v]) => right.has(k) && celEquals(v, right.get(k)));
  }
  return false;
}

function entriesOf(value: object): [unknown, unknown][] {
  if (value instanceof Map) return [...(value as Map<unknown, unknown>).entries()];
  return Object.entries(value);
}

/** -1, 0 or 1; for the comparable scalars (int, uint, double, string, bool, bytes). */
export function celCompare(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = typeof a === 'object' && a !== null ? Number(a.valueOf()) : a;
  const y = typeof b === 'object' && b !== null ? Number(b.valueOf()) : b;
  if ((typeof x === 'bigint' || typeof x === 'number') && (typeof y === 'bigint' || typeof y === 'number')) {
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return 0;
}
