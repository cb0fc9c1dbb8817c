import type { Report } from './model.js';

export type Format = 'terminal' | 'markdown' | 'json' | 'sarif' | 'html';

export interface RenderOptions { color: boolean; top: number; width?: number }

/** Pure: returns the text; never prints and never sets the exit code (ARCHITECTURE.md §6). */
export interface Reporter {
  format: Format;
  render(report: Report, opts: RenderOptions): string;
}
