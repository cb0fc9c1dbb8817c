import type { Report } from '../report/model.js';
import { LEVELS, type Level } from '../types.js';

/** Whether any ranked change that nobody acknowledged is at `level` or above (the --fail-on gate). */
export function isLevelReached(report: Report, level: Level): boolean {
  const min = LEVELS.indexOf(level);
  return report.ranking.some(item => !item.acknowledged && LEVELS.indexOf(item.level) >= min);
}
