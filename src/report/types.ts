import type { Report } from './model.js';

export type Format = 'terminal' | 'markdown' | 'json' | 'sarif' | 'html';

export interface RenderOptions {
  color: boolean;
  /** Ranked changes shown in full. */
  top: number;
  width?: number;
  /**
   * Everything, however long. By default the terminal and Markdown show the top of the ranking and a summary of the
   * rest (a release with thousands of pin moves printed thousands of lines; GitHub refuses a comment over 65,536
   * characters); JSON, SARIF and HTML always hold everything.
   */
  all?: boolean;
}

/** Pure: returns the text; never prints and never sets the exit code (ARCHITECTURE.md §6). */
export interface Reporter {
  format: Format;
  render(report: Report, opts: RenderOptions): string;
}
