import { describe, expect, it } from 'vitest';
import { runtimeVersions } from './runtime.js';

describe('runtime versions', () => {
  it('sizes a distribution rebuild of one upstream version as a patch, not a variant', () => {
    expect(runtimeVersions.classify('2.34-100.el9_4.2', '2.34-125.el9_5.1')).toBe('patch');
    expect(runtimeVersions.classify('2.36-9+deb12u4', '2.36-9+deb12u7')).toBe('patch');
    expect(runtimeVersions.classify('1.2.4-r4', '1.2.4-r5')).toBe('patch');
    expect(runtimeVersions.classify('2.36-9+deb12u4', '2.36-10')).toBe('patch');
    expect(runtimeVersions.classify('2.36-10', '2.36-9+deb12u4')).toBe('downgrade');
  });
  it('orders builds of one upstream version the way it sizes them, so that the newer one is the change\'s to', () => {
    const builds = ['2.36-9+deb12u7', '2.36-10', '2.36-9+deb12u4', '2.36-9'];
    expect([...builds].sort(runtimeVersions.compare)).toEqual(['2.36-9', '2.36-9+deb12u4', '2.36-9+deb12u7', '2.36-10']);
    expect(['3.12', '3.11.7', '3.12-slim'].sort(runtimeVersions.compare)).toEqual(['3.11.7', '3.12', '3.12-slim']);
  });
  it('keeps image tag variants and unsized changes as they were', () => {
    expect(runtimeVersions.classify('3.12-slim', '3.12-alpine')).toBe('other');
    expect(runtimeVersions.classify('20-alpine3.19', '20-alpine3.20')).toBe('other');
    expect(runtimeVersions.classify('lts/iron', 'lts/jod')).toBe('other');
    expect(runtimeVersions.classify('3.11.7', '3.12.1')).toBe('minor');
    expect(runtimeVersions.classify('2.34-100.el9', '2.36-9+deb12u4')).toBe('minor');
  });
});
