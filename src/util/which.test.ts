import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findOnPath } from './which.js';

const work = mkdtempSync(join(tmpdir(), 'reldiff-which-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('findOnPath', () => {
  it('finds the first executable file of that name, skipping plain files and folders of that name', () => {
    for (const d of ['a', 'b', 'c']) mkdirSync(join(work, d));
    writeFileSync(join(work, 'a', 'yarn'), 'not executable');
    mkdirSync(join(work, 'b', 'yarn'));
    writeFileSync(join(work, 'c', 'yarn'), '#!/bin/sh\n');
    chmodSync(join(work, 'c', 'yarn'), 0o755);
    const path = ['', join(work, 'a'), join(work, 'b'), join(work, 'c')].join(':');
    expect(findOnPath('yarn', path)).toBe(join(work, 'c', 'yarn'));
    expect(findOnPath('pnpm', path)).toBeUndefined();
    expect(findOnPath('yarn', undefined)).toBeUndefined();
  });
});
