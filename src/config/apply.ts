import type { Weights } from '../risk/weights.js';
import type { DeepPartial, ReldiffConfig } from './schema.js';

/** The weights with the config's overrides merged in; `levels` wins over `weights.levels`. Pure. */
export function applyConfigToWeights(weights: Weights, config: ReldiffConfig | undefined): Weights {
  if (!config) return weights;
  const merged = mergeTable(weights, config.weights);
  return config.levels ? { ...merged, levels: { ...merged.levels, ...definedOnly(config.levels) } } : merged;
}

function mergeTable<T extends object>(base: T, override: DeepPartial<T> | undefined): T {
  if (!override) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = typeof value === 'object' && value !== null && typeof current === 'object' && current !== null
      ? mergeTable(current, value as DeepPartial<object>)
      : value;
  }
  return out as T;
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
