import type { Level } from '../types.js';
import { LEVELS } from '../types.js';
import type { Report } from '../report/model.js';

/** Whether any unacknowledged ranking item reaches `level` ('none' never does). Pure. */
export function isFailOnReached(report: Report, level: Level | 'none'): boolean {
  if (level === 'none') return false;
  const threshold = LEVELS.indexOf(level);
  return report.ranking.some(item => !item.acknowledged && LEVELS.indexOf(item.level) >= threshold);
}

/** The unacknowledged items at or above `level`, in rank order. */
export function itemsAtOrAbove(report: Report, level: Level): Report['ranking'] {
  const threshold = LEVELS.indexOf(level);
  return report.ranking.filter(item => !item.acknowledged && LEVELS.indexOf(item.level) >= threshold);
}
