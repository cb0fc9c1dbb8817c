import { describe, expect, it } from 'vitest';
import { checkIndexUrls, lockIndexUrls } from './deps-indexes.js';

describe('lockIndexUrls', () => {
  it('reads poetry.lock legacy sources, not url or git ones', () => {
    const lock = `[[package]]\nname = "a"\nversion = "1"\nfiles = []\n\n[package.source]\ntype = "legacy"\nurl = "https://u:p@private.example/simple"\nreference = "private"\n
[[package]]\nname = "b"\nversion = "1"\nfiles = []\n\n[package.source]\ntype = "url"\nurl = "https://files.example/b-1.tar.gz"\n
[[package]]\nname = "c"\nversion = "1"\nfiles = []\n\n[package.source]\ntype = "legacy"\nurl = "https://pypi.org/simple/"\nreference = "pypi"\n`;
    expect(lockIndexUrls('poetry-lock', lock)).toEqual(['https://u:p@private.example/simple']);
  });
  it('reads uv.lock registries and Pipfile.lock _meta.sources, PyPI left out, once each', () => {
    const uv = 'version = 1\n[[package]]\nname = "a"\nversion = "1"\nsource = { registry = "https://pypi.org/simple" }\n'
      + '[[package]]\nname = "b"\nversion = "1"\nsource = { registry = "http://127.0.0.1:9/simple/" }\n'
      + '[[package]]\nname = "c"\nversion = "1"\nsource = { registry = "http://127.0.0.1:9/simple/" }\n';
    expect(lockIndexUrls('uv-lock', uv)).toEqual(['http://127.0.0.1:9/simple/']);
    const pipfile = JSON.stringify({ _meta: { sources: [{ name: 'pypi', url: 'https://pypi.org/simple', verify_ssl: true }, { name: 'corp', url: 'https://corp.example/pypi/simple' }] } });
    expect(lockIndexUrls('pipfile-lock', pipfile)).toEqual(['https://corp.example/pypi/simple']);
  });
  it('reads nothing from text that does not parse, nor from pdm.lock', () => {
    expect(lockIndexUrls('pipfile-lock', '{')).toEqual([]);
    expect(lockIndexUrls('uv-lock', '[[package')).toEqual([]);
    expect(lockIndexUrls('pdm-lock', '[[package]]\nname = "a"\n')).toEqual([]);
  });
});

describe('checkIndexUrls', () => {
  it('passes http(s) URLs and refuses the rest with a warning that shows no credential', () => {
    const out = checkIndexUrls(['https://u:hunter22@ok.example/simple', 'ftp://u:hunter22@files.example/simple', '-i https://x', 'https://a.example/simple\n--trusted-host x', 'file:///srv/wheels']);
    expect(out.urls).toEqual(['https://u:hunter22@ok.example/simple']);
    expect(out.warnings).toHaveLength(4);
    expect(out.warnings.join('\n')).not.toContain('hunter22');
    expect(out.warnings[0]).toBe('the lock names the package index ftp://***@files.example/simple, which is not an http(s) URL; it is not passed to pip');
  });
});
