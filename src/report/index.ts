import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { markdownReporter } from './markdown.js';
import { sarifReporter } from './sarif.js';
import { terminalReporter } from './terminal.js';
import type { Format, Reporter } from './types.js';

/** The map of formats (a plain object, K src/reporters/index.ts). */
export const reporters: Record<Format, Reporter> = {
  terminal: terminalReporter,
  markdown: markdownReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  html: htmlReporter,
};

export type { Format, RenderOptions, Reporter } from './types.js';
