// Robust trend of memory over time: Theil-Sen slope with Sen's rank-based confidence interval, so that a
// GC sawtooth or a single spike cannot fake or hide a leak.

export interface Trend { slope: number; intercept: number; low: number; high: number; n: number }

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] ?? 0 : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Evenly thins a series to at most `max` points: pairwise slopes are quadratic in the count. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)] as T);
}

/** Slope in y-units per x-unit, with a two-sided interval at confidence z (1.96 = 95 %). */
export function theilSen(points: readonly (readonly [number, number])[], z = 1.96): Trend {
  const pts = thin(points, 400);
  const slopes: number[] = [];
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) {
      const [xi, yi] = pts[i] as readonly [number, number];
      const [xj, yj] = pts[j] as readonly [number, number];
      if (xj !== xi) slopes.push((yj - yi) / (xj - xi));
    }
  }
  slopes.sort((a, b) => a - b);
  const n = pts.length;
  if (slopes.length === 0) return { slope: 0, intercept: pts[0]?.[1] ?? 0, low: -Infinity, high: Infinity, n };
  const slope = median(slopes);
  const intercept = median(pts.map(([x, y]) => y - slope * x).sort((a, b) => a - b));
  const c = z * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const lowIndex = Math.floor((slopes.length - c) / 2);
  const highIndex = Math.ceil((slopes.length + c) / 2);
  const low = lowIndex >= 0 ? slopes[lowIndex] ?? -Infinity : -Infinity;
  const high = highIndex < slopes.length ? slopes[highIndex] ?? Infinity : Infinity;
  return { slope, intercept, low, high, n };
}
