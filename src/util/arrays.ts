// Helpers for arrays whose length comes from the input (lockfile entries, ranked changes, probe samples).
// `out.push(...items)` and `Math.max(...items)` pass every item as an argument; past about 100,000 of them V8 throws
// "Maximum call stack size exceeded". These loop instead.

/** Appends every item of `items` to `out`, one by one. */
export function pushAll<T>(out: T[], items: Iterable<T>): T[] {
  for (const item of items) out.push(item);
  return out;
}

/** The smallest and largest of `values` (Infinity/-Infinity when empty, as Math.min()/Math.max() give). */
export function extent(values: Iterable<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** Adds `item` to the list under `key`, in place: `map.set(k, [...(map.get(k) ?? []), item])` copies the list each time. */
export function addTo<K, V>(map: Map<K, V[]>, key: K, item: V): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}
