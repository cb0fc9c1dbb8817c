import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

// Python distributions built at test time by Python's own zipfile and tarfile modules, and the PyPI JSON API
// documents that point at them (https://docs.pypi.org/api/json/), for a fake index on 127.0.0.1.

export interface ZipEntry { name: string; text?: string; symlink?: boolean; zeros?: number }

const SCRIPT = String.raw`
import io, json, sys, tarfile, zipfile
spec = json.loads(sys.stdin.read())
out = io.BytesIO()
if spec['kind'] == 'zip':
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for e in spec['entries']:
            info = zipfile.ZipInfo(e['name'], (2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if e.get('symlink'):
                info.external_attr = (0o120777 << 16)
            else:
                info.external_attr = (0o100644 << 16)
            data = b'\0' * e['zeros'] if e.get('zeros') else e.get('text', '').encode()
            z.writestr(info, data)
else:
    with tarfile.open(fileobj=out, mode='w:gz') as t:
        for e in spec['entries']:
            data = e.get('text', '').encode()
            info = tarfile.TarInfo(e['name'])
            info.size = len(data)
            info.mtime = 0
            t.addfile(info, io.BytesIO(data))
sys.stdout.buffer.write(out.getvalue())
`;

function python(kind: 'zip' | 'sdist', entries: ZipEntry[]): Buffer {
  return execFileSync('python3', ['-c', SCRIPT], { input: JSON.stringify({ kind, entries }), maxBuffer: 256 * 1024 * 1024 });
}

/** A wheel (a zip with a .dist-info folder) as zipfile writes it. */
export function buildWheel(name: string, version: string, files: Record<string, string>, extra: ZipEntry[] = []): Buffer {
  const entries: ZipEntry[] = Object.entries(files).map(([n, text]) => ({ name: n, text }));
  entries.push({ name: `${name}-${version}.dist-info/METADATA`, text: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n` });
  entries.push({ name: `${name}-${version}.dist-info/WHEEL`, text: 'Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n' });
  return python('zip', [...entries, ...extra]);
}

/** An sdist: a .tar.gz whose entries sit under `name-version/`. */
export function buildSdist(name: string, version: string, files: Record<string, string>): Buffer {
  return python('sdist', Object.entries(files).map(([n, text]) => ({ name: `${name}-${version}/${n}`, text })));
}

/** Sets the declared uncompressed size of one zip entry (central directory and local header) to `size`: a lying header. */
export function lieAboutSize(zip: Buffer, entry: string, size: number): Buffer {
  const out = Buffer.from(zip);
  for (let i = 0; i + 46 < out.length; i++) {
    if (out.readUInt32LE(i) === 0x02014b50 && out.subarray(i + 46, i + 46 + out.readUInt16LE(i + 28)).toString() === entry) out.writeUInt32LE(size, i + 24);
    if (out.readUInt32LE(i) === 0x04034b50 && out.subarray(i + 30, i + 30 + out.readUInt16LE(i + 26)).toString() === entry) out.writeUInt32LE(size, i + 22);
  }
  return out;
}

export interface FakeFile { filename: string; body: Buffer }

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** `/pypi/<name>/<version>/json`: the release's info and its files under `base`. */
export function pypiRelease(base: string, name: string, version: string, files: FakeFile[], info: Record<string, unknown> = {}): object {
  return {
    info: { name, version, requires_dist: [], author: 'alice', ...info },
    urls: files.map(f => ({
      filename: f.filename, url: `${base}files/${f.filename}`, packagetype: f.filename.endsWith('.whl') ? 'bdist_wheel' : 'sdist',
      digests: { sha256: sha256(f.body) }, size: f.body.length, upload_time_iso_8601: '2024-01-01T00:00:00Z', yanked: false,
    })),
  };
}

/** `/pypi/<name>/json`: every version, with its files (only names and times matter to the project document). */
export function pypiProject(name: string, versions: Record<string, string[]>, info: Record<string, unknown> = {}): object {
  return {
    info: { name, ...info },
    releases: Object.fromEntries(Object.entries(versions).map(([v, names]) => [v, names.map(filename => ({ filename, upload_time_iso_8601: '2024-01-01T00:00:00Z', yanked: false }))])),
  };
}
