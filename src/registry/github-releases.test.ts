import { describe, expect, it } from 'vitest';
import { releasesUrl, resolveGithubApi, slimReleases, tagVersion } from './github-releases.js';
import { githubRepository, pickArchive } from './pypi.js';

describe('GitHub releases of a dependency', () => {
  it('reads the version a tag names, whatever its prefix', () => {
    expect(['v1.2.3', '1.2.3', 'undici@6.16.0', 'pkg-v2.0.0rc1', 'release-4.5', 'nightly'].map(tagVersion)).toEqual(['1.2.3', '1.2.3', '6.16.0', '2.0.0rc1', '4.5', undefined]);
  });

  it('keeps one section per published release with the lines worth quoting, drafts and bodies\' own headings left out', () => {
    expect(slimReleases([
      { tag_name: 'v2.0.1', body: '## Bug fixes\n* fix memory leak in the agent\n* docs\n' },
      { tag_name: 'v2.0.0', draft: true, body: '* fix leak\n' },
      { tag_name: 'latest', body: '* fix leak\n' },
    ])).toEqual({ sections: [{ version: '2.0.1', lines: ['fix memory leak in the agent'] }] });
    expect(slimReleases({ message: 'Not Found' })).toBeUndefined();
  });

  it('builds the API URL only for a github.com repository, and takes the token and base from the environment', () => {
    const api = resolveGithubApi({ GITHUB_API_URL: 'http://127.0.0.1:9/api/v3/', GITHUB_TOKEN: ' ghp_abc123456789 ' });
    expect(api).toEqual({ base: 'http://127.0.0.1:9/api/v3', authorization: 'Bearer ghp_abc123456789', secrets: ['ghp_abc123456789'] });
    expect(resolveGithubApi({ GITHUB_API_URL: 'http://user:pw@evil.example' }).base).toBe('https://api.github.com');
    expect(releasesUrl(api, 'https://github.com/acme/pool')).toBe('http://127.0.0.1:9/api/v3/repos/acme/pool/releases?per_page=100');
  });

  it('recognises GitHub repositories in npm and PyPI spellings and nothing else', () => {
    expect(['git+https://github.com/acme/pool.git', 'github:acme/pool', 'acme/pool', 'git@github.com:acme/pool.git', 'https://github.com/acme/pool/tree/main',
      'https://gitlab.com/acme/pool', 'https://github.com/acme/..', 'https://github.com.evil.example/acme/pool'].map(githubRepository)).toEqual([
      'https://github.com/acme/pool', 'https://github.com/acme/pool', 'https://github.com/acme/pool', 'https://github.com/acme/pool', 'https://github.com/acme/pool',
      undefined, undefined, undefined]);
  });
});

describe('which PyPI file is looked inside', () => {
  const file = (filename: string) => ({ filename, url: `https://files.example/${filename}` });
  it('prefers the sdist, then a pure wheel, then a manylinux x86_64 wheel', () => {
    expect(pickArchive([file('p-1.0-py3-none-any.whl'), file('p-1.0.tar.gz')])?.filename).toBe('p-1.0.tar.gz');
    expect(pickArchive([file('p-1.0-cp312-cp312-win_amd64.whl'), file('p-1.0-py3-none-any.whl')])?.filename).toBe('p-1.0-py3-none-any.whl');
    expect(pickArchive([file('p-1.0-cp312-cp312-win_amd64.whl'), file('p-1.0-cp312-cp312-manylinux_2_17_x86_64.whl')])?.filename).toBe('p-1.0-cp312-cp312-manylinux_2_17_x86_64.whl');
    expect(pickArchive([])).toBeUndefined();
  });
});
