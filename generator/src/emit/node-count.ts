/**
 * How many nodes a plain-data value has (a scalar counts 1, a container 1 plus its children),
 * counted once per object: the YAML writer and the fingerprints both ask of the same shared
 * schema subtrees. Values must not be mutated after they were counted.
 */
const counts = new WeakMap<object, number>();

export function nodeCount(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 1;
  const known = counts.get(value);
  if (known !== undefined) return known;
  let count = 1;
  for (const child of Object.values(value)) count += nodeCount(child);
  counts.set(value, count);
  return count;
}
