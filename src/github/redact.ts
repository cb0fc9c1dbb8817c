// The token must never reach any output, even with --debug: every line a GitHub command prints goes through here.

/** A function that replaces every secret (and its common encodings) with `***`. Secrets shorter than 4 are ignored. */
export function createRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
    variants.add(Buffer.from(secret).toString('base64'));
    variants.add(Buffer.from(`x-access-token:${secret}`).toString('base64'));
  }
  const list = [...variants].sort((a, b) => b.length - a.length);
  return text => list.reduce((out, secret) => out.split(secret).join('***'), text);
}
