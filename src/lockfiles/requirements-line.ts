// https://pip.pypa.io/en/stable/reference/requirements-file-format/ and https://peps.python.org/pep-0508/
import { normalizePythonName } from './wheel-tags.js';

/** One logical line of a requirements file, after `\` continuations are joined and comments removed. */
export type RequirementLine =
  | { kind: 'blank' }
  | { kind: 'include'; constraint: boolean; target: string }
  | { kind: 'option'; option: string }
  | { kind: 'requirement'; name: string; version: string; pinned: boolean; url?: string; editable: boolean;
      extras: string[]; marker?: string; hashes: string[] }
  | { kind: 'error'; what: string; hint: string };

const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
const OP = '(?:===|==|!=|<=|>=|~=|<|>)';
const CLAUSE = `${OP}\\s*[^,\\s;()]+`;
const SPEC = new RegExp(`^\\(?\\s*${CLAUSE}\\s*(?:,\\s*${CLAUSE}\\s*)*\\)?$`);
const NAMED = new RegExp(`^(${NAME})\\s*(?:\\[([^\\]]*)\\])?\\s*(.*)$`, 's');
const URL_FORM = /^(?:[a-z][a-z0-9+.-]*:\/\/|git\+|hg\+|svn\+|bzr\+|file:|\.\.?[\\/]|\/)/i;
const ARCHIVE = /\.(?:whl|tar\.gz|tar\.bz2|tgz|zip)$/i;
// Options pip accepts on their own line; they change where pip looks, not what is installed.
const GLOBAL_OPTIONS = new Set(['-i', '--index-url', '--extra-index-url', '--no-index', '-f', '--find-links', '--pre',
  '--trusted-host', '--prefer-binary', '--require-hashes', '--only-binary', '--no-binary', '--use-feature',
  '--config-settings', '--global-option']);

export function parseRequirementLine(raw: string): RequirementLine {
  const line = raw.trim();
  if (!line) return { kind: 'blank' };
  const include = /^(?:(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?=[^\s=-])))(\S.*)$/.exec(line);
  if (include) return { kind: 'include', constraint: include[1] === '-c' || include[1] === '--constraint', target: (include[2] ?? '').trim() };
  const editable = /^(?:-e|--editable)(?:\s*=\s*|\s+)(\S.*)$/.exec(line);
  if (editable) return parseUrlRequirement(editable[1] ?? '', true);
  if (line.startsWith('-')) {
    const option = /^(-{1,2}[A-Za-z][A-Za-z0-9-]*)/.exec(line)?.[1] ?? line;
    if (GLOBAL_OPTIONS.has(option)) return { kind: 'option', option };
    return { kind: 'error', what: `has an option pip does not know here (${option})`,
      hint: 'Remove the option or move it to the pip command line' };
  }
  const { spec, hashes } = splitOptions(line);
  if (URL_FORM.test(spec) || (ARCHIVE.test(spec.split(/[;\s]/)[0] ?? '') && !spec.includes('=='))) {
    return parseUrlRequirement(line, false);
  }
  return parseNamedRequirement(spec, hashes);
}

/** Per-requirement options (`--hash=sha256:...`) follow the requirement after whitespace. */
function splitOptions(line: string): { spec: string; hashes: string[] } {
  const at = line.search(/\s--[a-z]/i);
  if (at < 0) return { spec: line, hashes: [] };
  const hashes = [...line.slice(at).matchAll(/--hash(?:\s*=\s*|\s+)([A-Za-z0-9]+:[A-Fa-f0-9]+)/g)].map(m => m[1] ?? '');
  return { spec: line.slice(0, at).trim(), hashes: hashes.sort() };
}

function parseNamedRequirement(spec: string, hashes: string[]): RequirementLine {
  const m = NAMED.exec(spec);
  if (!m) return bad('is not a requirement pip can read');
  const name = normalizePythonName(m[1] ?? '');
  const extras = (m[2] ?? '').split(',').map(e => normalizePythonName(e.trim())).filter(Boolean).sort();
  let rest = (m[3] ?? '').trim();
  if (rest.startsWith('@')) {
    const url = /^@\s*(\S+)(?:\s+;\s*(.*))?$/.exec(rest);
    if (!url) return bad('has a URL requirement pip can not read');
    return { kind: 'requirement', name, version: url[1] ?? '', pinned: true, url: url[1], editable: false, extras,
      ...(url[2] ? { marker: url[2].trim() } : {}), hashes };
  }
  let marker: string | undefined;
  const semi = rest.indexOf(';');
  if (semi >= 0) {
    marker = rest.slice(semi + 1).trim();
    rest = rest.slice(0, semi).trim();
    if (!marker) return bad('has an empty environment marker after ";"');
  }
  if (rest && !SPEC.test(rest)) return bad(`has a version specifier pip can not read (${rest})`);
  const clauses = rest.replace(/[()\s]/g, '').split(',').filter(Boolean);
  const empty = clauses.find(c => /^(?:===|==|!=|<=|>=|~=|<|>)$/.test(c));
  if (empty) return bad(`has an operator with no version (${empty})`);
  const only = clauses.length === 1 ? /^(===|==)(.+)$/.exec(clauses[0] ?? '') : null;
  const pinned = only !== null && !(only[2] ?? '').includes('*');
  const version = pinned && only ? (only[2] ?? '') : clauses.join(',') || '*';
  return { kind: 'requirement', name, version, pinned, editable: false, extras, ...(marker ? { marker } : {}), hashes };
}

/** `-e git+https://host/repo.git@ref#egg=name`, a bare URL or a local path: compared by URL. */
function parseUrlRequirement(text: string, editable: boolean): RequirementLine {
  const { spec, hashes } = splitOptions(text.trim());
  const semi = spec.search(/\s+;/);
  const url = (semi >= 0 ? spec.slice(0, semi) : spec).trim();
  const marker = semi >= 0 ? spec.slice(spec.indexOf(';', semi) + 1).trim() : undefined;
  if (!url) return bad('has an empty URL');
  const named = /^(\S+?)\s*@\s*(\S+)$/.exec(url);
  if (named && !URL_FORM.test(url)) return parseNamedRequirement(spec, hashes);
  const egg = /[#&]egg=([^&\s]+)/.exec(url)?.[1];
  const file = url.replace(/[#?].*$/, '').replace(/\/+$/, '');
  const wheel = ARCHIVE.test(file) ? /^([A-Za-z0-9._]+?)-\d/.exec(file.slice(file.lastIndexOf('/') + 1))?.[1] : undefined;
  // Without #egg= or a wheel name the project is unnamed: the URL or path itself names it.
  const known = egg?.replace(/\[.*$/, '') ?? wheel;
  const name = known ? normalizePythonName(known) : url;
  return { kind: 'requirement', name, version: url, pinned: true, url, editable, extras: [],
    ...(marker ? { marker } : {}), hashes };
}

function bad(what: string): RequirementLine {
  return { kind: 'error', what, hint: 'Write it as `name==version`, `name @ url` or `-e <vcs url>#egg=name` (PEP 508)' };
}
