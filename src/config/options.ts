import type { AnalyzeOptions } from '../analyze.js';
import { defaultWeights } from '../risk/weights.js';
import { applyConfigToWeights } from './apply.js';
import { compileFilters } from './match.js';
import type { ReldiffConfig } from './schema.js';

/** The parts of AnalyzeOptions that the config decides; CLI values are merged over these by the caller. */
export function analyzeOptionsFromConfig(config: ReldiffConfig | undefined): Pick<AnalyzeOptions,
  'weights' | 'rules' | 'isIgnoredPath' | 'isIgnoredPackage' | 'isLockfileIncluded' | 'isLockfileAdded'> {
  const filters = compileFilters(config);
  return {
    weights: applyConfigToWeights(defaultWeights, config),
    ...(config?.rules ? { rules: config.rules } : {}),
    isIgnoredPath: filters.isIgnoredPath,
    isIgnoredPackage: filters.isIgnoredPackage,
    isLockfileIncluded: filters.isLockfileSelected,
    isLockfileAdded: filters.isLockfileAdded,
  };
}
