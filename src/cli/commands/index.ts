import type { Command } from '../io.js';

// `reldiff <command>`; anything else is `diff` (`reldiff [from] [to]`). Loaded on demand, so that a plain diff never
// pays for the GitHub client or the bisect runner.
const load = (loader: () => Promise<{ run: Command }>): Command => async (argv, io) => (await loader()).run(argv, io);

export const commands: Record<string, Command> = {
  ack: load(() => import('./ack.js')),
  bisect: load(() => import('./bisect.js')),
  comment: load(() => import('./comment.js')),
  deps: load(() => import('./deps.js')),
  diff: load(() => import('./diff.js')),
  probe: load(() => import('./probe.js')),
};
