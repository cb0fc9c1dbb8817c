import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { diffDependencySets } from '../../deps/diff.js';
import { isLfsPointer, lfsPointerFileError } from '../../deps/file-checks.js';
import { ReldiffError } from '../../errors.js';
import { diffImageSides, type Side } from '../../image/compare.js';
import { isRuntimeFile, readRuntimePins } from '../../runtimes/pins.js';
import { addRuntimeSignals } from '../../runtimes/signals.js';
import { imageArgument, isTarFile, readImage } from '../../image/read.js';
import { detectFormat } from '../../lockfiles/index.js';
import { readDependencySet } from '../../lockfiles/read.js';
import { fetchRequirementFiles } from '../../lockfiles/requirements.js';
import { enrichFromFlags } from '../../registry/cli-options.js';
import { buildReport } from '../../report/build.js';
import { rankItems } from '../../risk/rank.js';
import { scoreDependency } from '../../risk/score.js';
import { defaultWeights } from '../../risk/weights.js';
import type { DependencyChange } from '../../types.js';
import { VERSION } from '../../version.js';
import { commonOptions, parseCommandLine, parseFailOn, parseFormat, parseTop } from '../args.js';
import type { Command } from '../io.js';
import { finish } from './diff.js';

export const depsHelp = `Usage: reldiff deps <before> <after> [options]

Compare two dependency files directly, without a repository: two lockfiles, a lockfile and a \`pip freeze\`
of an image, two \`conda list --export\` dumps... Any formats of one ecosystem; \`-r\`/\`-c\` includes of
requirements files are read relative to each file. Each change is ranked with the same weights and registry
facts as \`reldiff [from] [to]\`.

An image (\`docker save\`, or an OCI image layout as a tar or a folder; told by content) is read without unpacking
(\`a.tar#app:1\` picks one image of an archive that holds several, by tag or id):
gzip, zstd or plain layers; its Python, Node, Debian, Alpine and RPM packages and its runtimes (python, node, glibc or musl, jemalloc/tcmalloc,
MALLOC_*/PYTHONMALLOC/NODE_OPTIONS, base image). Two images compare every ecosystem; an image and a lockfile
compare the lockfile's ecosystem. Two Dockerfiles, .nvmrc, .python-version, .tool-versions or workflow files
compare the runtimes they pin.

  --format <name>       terminal | markdown | json | sarif | html (default: terminal)
  --output <file>       write the report to a file instead of stdout
  --top <n>             how many ranked changes to show in full (default: 10)
  --all                 list every change and warning (default: the top and a summary of the rest)
  --fail-on <level>     exit 1 when a change ranks at this level or above: none | low | medium | high | critical
  --warn-only           report as usual but never exit 1
  --offline, --require-registry, --pypi-url, --deep, --cache-dir, --no-color, --quiet, --debug: as for reldiff [from] [to]

Examples:
  reldiff deps old/poetry.lock new/poetry.lock
  pip freeze > now.txt && reldiff deps requirements.txt now.txt --format markdown
  docker save app:1.4.0 -o a.tar && docker save app:1.5.0 -o b.tar && reldiff deps a.tar b.tar
  reldiff deps a.tar poetry.lock
  docker save app:1.4.0 app:1.5.0 -o both.tar && reldiff deps 'both.tar#app:1.4.0' 'both.tar#app:1.5.0'
`;

/** `reldiff deps <before> <after>`: two dependency files, any supported formats of one ecosystem. */
export const run: Command = async (argv, io) => {
  const { values, positionals } = parseCommandLine(argv, commonOptions);
  if (values.help) {
    io.stdout(depsHelp);
    return 0;
  }
  if (positionals.length !== 2) {
    throw new ReldiffError('missing-argument', 'reldiff deps needs two files', 'Usage: reldiff deps <before> <after>, e.g. reldiff deps old/poetry.lock pip-freeze.txt');
  }
  const [beforePath, afterPath] = positionals as [string, string];
  const warnings: string[] = [];
  // An image archive is told by content (its first block is a tar header), whatever its name (issue 17); `a.tar#app:1`
  // picks one image of several.
  const args = await Promise.all([imageArgument(io.cwd, beforePath), imageArgument(io.cwd, afterPath)]);
  const isImage = await Promise.all(args.map(a => isTarFile(resolve(io.cwd, a.path), a.path)));
  for (const [i, a] of args.entries()) {
    if (a.pick !== undefined && !isImage[i]) {
      throw new ReldiffError('bad-option', `${positionals[i] ?? ''} picks an image after #, but ${a.path} is not an image archive`, `Leave the # out for a lockfile, or name a docker save / OCI archive`);
    }
  }
  const { changes, fromId, toId } = isImage[0] || isImage[1]
    ? await compareWithImages(io.cwd, args as [ImageArgument, ImageArgument], isImage, warnings)
    : await compareFiles(io.cwd, beforePath, afterPath, warnings);
  // The same registry facts as `reldiff A B`, so that one change scores the same whichever way it was found.
  for (const warning of (await enrichFromFlags(values, io, io.cwd)(changes, { toDate: '' })).warnings) warnings.push(warning);
  const weights = defaultWeights;
  const report = buildReport({
    version: VERSION,
    from: { ref: beforePath, commit: fromId },
    to: { ref: afterPath, commit: toId },
    commits: [], dependencies: changes, findings: [],
    ranked: rankItems(changes.map(c => scoreDependency(c, weights)), weights), warnings, weights,
    plan: () => ({ testFirst: [], commands: [] }),
  });
  // Secrets out of every value before any reporter escapes them (see Redactor.applyDeep).
  return finish(io.redactor ? io.redactor.applyDeep(report) : report, { format: parseFormat(values.format), failOn: parseFailOn(values['fail-on']), top: parseTop(values.top), values }, io);
};

interface Compared { changes: DependencyChange[]; fromId: string; toId: string }
type ImageArgument = Awaited<ReturnType<typeof imageArgument>>;

/** Two dependency files: one set each, of one ecosystem. */
async function compareFiles(cwd: string, beforePath: string, afterPath: string, warnings: string[]): Promise<Compared> {
  const [before, after] = await Promise.all([readText(cwd, beforePath), readText(cwd, afterPath)]);
  // A checkout without `git lfs pull` holds pointers in place of the files (issue 12, item 18).
  for (const [path, text] of [[beforePath, before], [afterPath, after]] as const) {
    if (isLfsPointer(text)) throw lfsPointerFileError(path);
  }
  // Two Dockerfiles or version files (.nvmrc, .tool-versions, a workflow): their runtimes, as in reldiff A B.
  if (isRuntimeOnlyFile(beforePath) && isRuntimeOnlyFile(afterPath)) {
    const changes = diffDependencySets({ ...readRuntimePins(beforePath, before), path: afterPath }, readRuntimePins(afterPath, after));
    addRuntimeSignals(changes);
    return { changes, fromId: blobId(before), toId: blobId(after) };
  }
  const [includesBefore, includesAfter] = await Promise.all([readIncludes(cwd, beforePath, before), readIncludes(cwd, afterPath, after)]);
  const setBefore = readDependencySet(before, beforePath, warnings, p => includesBefore.get(p));
  const setAfter = readDependencySet(after, afterPath, warnings, p => includesAfter.get(p));
  if (setBefore.ecosystem !== setAfter.ecosystem) {
    throw new ReldiffError('mixed-ecosystems', `${beforePath} is ${setBefore.ecosystem} but ${afterPath} is ${setAfter.ecosystem}`,
      'Compare two files of the same ecosystem (e.g. pip freeze against poetry.lock)');
  }
  // One key for both sides, so that the diff lines up even when the two files have different names or formats.
  const label = beforePath === afterPath ? afterPath : afterPath;
  const changes = diffDependencySets({ ...setBefore, path: label }, { ...setAfter, path: label });
  return { changes, fromId: blobId(before), toId: blobId(after) };
}

/** Files that pin runtimes and nothing else (package.json, pyproject.toml and pnpm-lock.yaml hold dependencies too). */
function isRuntimeOnlyFile(path: string): boolean {
  return isRuntimeFile(path) && !/(^|\/)(package\.json|pyproject\.toml|pnpm-lock\.yaml)$/.test(path) && detectFormat(path, '') === undefined;
}

/** At least one image archive: every ecosystem of two images, or the one ecosystem of the lockfile beside it. */
async function compareWithImages(cwd: string, args: [ImageArgument, ImageArgument], isImage: boolean[], warnings: string[]): Promise<Compared> {
  // One side after the other: two images inflating at once would double the peak memory for no gain on two cores.
  const sides: { side: Side; id: string }[] = [];
  for (const [i, arg] of args.entries()) sides.push(await readSide(cwd, arg, isImage[i] === true, warnings));
  const [before, after] = sides as [{ side: Side; id: string }, { side: Side; id: string }];
  // Labelled as given, #tag included: two images of one archive are two sides.
  const label = (a: ImageArgument): string => (a.pick === undefined ? a.path : `${a.path}#${a.pick}`);
  const changes = diffImageSides(before.side, after.side, label(args[1]), { before: label(args[0]), after: label(args[1]) }, warnings);
  return { changes, fromId: before.id, toId: after.id };
}

async function readSide(cwd: string, { path, pick }: ImageArgument, isImage: boolean, warnings: string[]): Promise<{ side: Side; id: string }> {
  if (isImage) {
    const image = await readImage(resolve(cwd, path), path, undefined, pick);
    for (const w of image.warnings) warnings.push(w);
    return { side: { kind: 'image', sets: image.sets }, id: image.id };
  }
  const text = await readText(cwd, path);
  if (isLfsPointer(text)) throw lfsPointerFileError(path);
  const includes = await readIncludes(cwd, path, text);
  return { side: { kind: 'file', set: readDependencySet(text, path, warnings, p => includes.get(p)) }, id: blobId(text) };
}

/** Files a requirements file includes, read from disk relative to it. The format is told by content too: `deps.txt` or `prod.in` with `-r base.txt` is a requirements file. */
async function readIncludes(cwd: string, path: string, text: string): Promise<Map<string, string | undefined>> {
  if (detectFormat(path, text)?.id !== 'requirements') return new Map();
  return fetchRequirementFiles(path, p => (p === path ? Promise.resolve(text) : readFile(resolve(cwd, p), 'utf8').catch(() => undefined)));
}

async function readText(cwd: string, path: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (path === '') throw new ReldiffError('missing-argument', 'an empty path was given as a lockfile', 'Name two lockfiles or image archives: reldiff deps <before> <after>');
    if (code === 'EISDIR') throw new ReldiffError('file-not-found', `${path} is a folder, not a lockfile`, `Name the lockfile inside it, e.g. ${path.replace(/\/+$/, '')}/package-lock.json`);
    throw new ReldiffError('file-not-found', `cannot read ${path}${code ? ` (${code})` : ''}`, 'Check the path; for a lockfile at a git ref, use reldiff <from> <to> instead');
  }
}

/** The id git would give the file (`git hash-object`), so that the report names exactly what was compared. */
function blobId(text: string): string {
  const body = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}
