/**
 * Structural fingerprints of plain data: equal values get equal fingerprints. Large objects
 * are fingerprinted once per object (identity), so a model that shares subtrees with the
 * previous run (the built-in schemas every embedding kind holds) is fingerprinted in time
 * proportional to what is new in it. Used to reuse the text of an output whose input did not
 * change; the data must not be mutated after it was fingerprinted.
 */
import { createHash } from 'node:crypto';
import { nodeCount } from './node-count.ts';

const byObject = new WeakMap<object, string>();

/** Objects with at least this many nodes keep their fingerprint. */
const cacheThreshold = 32;

/** A fingerprint of `value` (a SHA-1 hex digest of its canonical form, keys sorted). */
export function fingerprint(value: unknown): string {
  if (typeof value !== 'object' || value === null) {
    const text = value === undefined ? 'undefined' : JSON.stringify(value);
    return createHash('sha1').update(text).digest('hex');
  }
  const cached = byObject.get(value);
  if (cached !== undefined) return cached;
  const hash = createHash('sha1');
  if (Array.isArray(value)) {
    hash.update('[');
    for (const item of value) hash.update(`${fingerprint(item)},`);
  } else {
    hash.update('{');
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child === undefined) continue;
      hash.update(`${JSON.stringify(key)}:${fingerprint(child)},`);
    }
  }
  const digest = hash.digest('hex');
  if (nodeCount(value) >= cacheThreshold) byObject.set(value, digest);
  return digest;
}
