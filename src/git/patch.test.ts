import { describe, expect, it } from 'vitest';
import { PatchParser, unquote } from './patch.js';

function parse(text: string) {
  const p = new PatchParser();
  for (const line of text.split('\n')) p.push(line);
  return p.finish();
}

describe('PatchParser', () => {
  it('reads statuses, ranges, counts, binary flags and renames from `git diff -U0 -M`', () => {
    const files = parse(`diff --git a/added.py b/added.py
new file mode 100644
index 0000000..3e75765
--- /dev/null
+++ b/added.py
@@ -0,0 +1,2 @@
+one
+two
diff --git a/bin.dat b/bin.dat
index d5d0b8b..4a27031 100644
Binary files a/bin.dat and b/bin.dat differ
diff --git a/f.txt b/f.txt
index de98044..a7bc997 100644
--- a/f.txt
+++ b/f.txt
@@ -2 +2 @@ a
-b
+B
@@ -5,2 +5,0 @@ c
-d
-e
diff --git a/sp ace.txt b/new name.txt
similarity index 92%
rename from sp ace.txt
rename to new name.txt
diff --git a/gone.js b/gone.js
deleted file mode 100644
index 1111111..0000000
--- a/gone.js
+++ /dev/null
@@ -1 +0,0 @@
-x`);
    expect(files.map(f => [f.path, f.status, f.binary, f.additions, f.deletions, f.added, f.removed, f.oldPath, f.similarity])).toEqual([
      ['added.py', 'added', false, 2, 0, [{ start: 1, end: 2 }], [], undefined, undefined],
      ['bin.dat', 'modified', true, 0, 0, [], [], undefined, undefined],
      ['f.txt', 'modified', false, 1, 3, [{ start: 2, end: 2 }], [{ start: 2, end: 2 }, { start: 5, end: 6 }], undefined, undefined],
      ['gone.js', 'deleted', false, 0, 1, [], [{ start: 1, end: 1 }], undefined, undefined],
      ['new name.txt', 'renamed', false, 0, 0, [], [], 'sp ace.txt', 92],
    ]);
    expect(files[2]?.hunks[0]?.lines).toEqual(['-b', '+B']);
    expect(files.map(f => f.blob)).toEqual(['3e75765', '4a27031', 'a7bc997', undefined, undefined]);
  });

  it('marks symbolic links (mode 120000) on either side, added, changed or replaced (issue 12, item 14)', () => {
    const files = parse(`diff --git a/requirements.txt b/requirements.txt
new file mode 120000
index 0000000..1111111
--- /dev/null
+++ b/requirements.txt
@@ -0,0 +1 @@
+../../etc/shadow
\\ No newline at end of file
diff --git a/link.py b/link.py
index 2222222..3333333 120000
--- a/link.py
+++ b/link.py
@@ -1 +1 @@
-a
+b
diff --git a/plain.py b/plain.py
index 4444444..5555555 100644
--- a/plain.py
+++ b/plain.py
@@ -1 +1 @@
-a
+b`);
    expect(files.map(f => [f.path, f.symlink ?? false, f.oldBlob, f.blob])).toEqual([
      ['link.py', true, '2222222', '3333333'], ['plain.py', false, '4444444', '5555555'], ['requirements.txt', true, undefined, '1111111']]);
  });

  it('tells a submodule (mode 160000) by its mode: commit ids, not blobs, and no lines of code', () => {
    const old = 'a'.repeat(40);
    const now = 'b'.repeat(40);
    const files = parse(`diff --git a/vendor/lib b/vendor/lib
index ${old}..${now} 160000
--- a/vendor/lib
+++ b/vendor/lib
@@ -1 +1 @@
-Subproject commit ${old}
+Subproject commit ${now}
diff --git a/vendor/new b/vendor/new
new file mode 160000
index ${'0'.repeat(40)}..${now}
--- /dev/null
+++ b/vendor/new
@@ -0,0 +1 @@
+Subproject commit ${now}`);
    expect(files.map(f => [f.path, f.submodule, f.blob, f.oldBlob, f.additions, f.deletions, f.hunks.length])).toEqual([
      ['vendor/lib', { from: old, to: now }, undefined, undefined, 0, 0, 0],
      ['vendor/new', { to: now }, undefined, undefined, 0, 0, 0]]);
  });

  it('does not take a content line that looks like a header for one', () => {
    const files = parse(`diff --git a/x.md b/x.md
--- a/x.md
+++ b/x.md
@@ -1 +1,2 @@
--- a/fake
+++ b/fake
+rename to evil`);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ path: 'x.md', status: 'modified', additions: 2, deletions: 1 });
  });

  it('unquotes C-style quoted paths with octal UTF-8 and escapes', () => {
    expect(unquote('"b/\\303\\274ber \\"q\\".txt"')).toBe('b/über "q".txt');
    expect(unquote('"a/tab\\there"')).toBe('a/tab\there');
    expect(unquote('plain/path.txt')).toBe('plain/path.txt');
  });
});
