// https://man7.org/linux/man-pages/man1/dpkg-query.1.html (var/lib/dpkg/status, deb822 paragraphs) and
// https://wiki.alpinelinux.org/wiki/Apk_spec#Installed_Database_V2 (lib/apk/db/installed, `P:`/`V:` lines).
import type { LockedPackage } from '../types.js';

/** Installed packages of a dpkg status file (or one file of status.d); removed ones with config left are not. */
export function dpkgStatusPackages(text: string, source: string): LockedPackage[] {
  const packages: LockedPackage[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of paragraph.split('\n')) {
      const m = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
      if (m) fields.set((m[1] ?? '').toLowerCase(), (m[2] ?? '').trim());
    }
    const name = fields.get('package');
    const version = fields.get('version');
    const status = fields.get('status');
    // Distroless status.d files have no Status line: present means installed.
    if (!name || !version || (status !== undefined && !/\binstalled$/.test(status))) continue;
    const arch = fields.get('architecture');
    packages.push({ name, version, direct: false, dev: false, installPath: `${source}${arch ? ` (${arch})` : ''}`, facts: {} });
  }
  return packages;
}

export function apkInstalledPackages(text: string, source: string): LockedPackage[] {
  const packages: LockedPackage[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    let name: string | undefined;
    let version: string | undefined;
    for (const line of block.split('\n')) {
      if (line.startsWith('P:')) name = line.slice(2).trim();
      else if (line.startsWith('V:')) version = line.slice(2).trim();
    }
    if (name && version) packages.push({ name, version, direct: false, dev: false, installPath: source, facts: {} });
  }
  return packages;
}
