import type { Command } from '../io.js';
import { run as ack } from './ack.js';
import { run as comment } from './comment.js';
import { run as deps } from './deps.js';
import { run as diff } from './diff.js';

/** `reldiff <command>`; anything else is `diff` (`reldiff [from] [to]`). */
export const commands: Record<string, Command> = {
  ack,
  comment,
  deps,
  diff,
};
