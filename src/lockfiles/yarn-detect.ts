// Both yarn generations write `yarn.lock`; only the content tells them apart. Shared by the two parsers and the
// dispatcher in yarn-lock.ts, so that neither parser has to import the other.

/** Yarn 2+ (berry) files start with a `__metadata:` block; yarn 1 files are not YAML and have none. */
export function isBerry(text: string): boolean {
  return /^__metadata:/m.test(text.slice(0, 2048));
}
