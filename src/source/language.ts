// The language of a changed file, from its name: shown in reports and used to pick the rules that apply.

const BY_EXTENSION: Record<string, string> = {
  py: 'python', pyi: 'python', js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'typescript', go: 'go', rs: 'rust', rb: 'ruby',
  java: 'java', kt: 'kotlin', kts: 'kotlin', scala: 'scala', c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', cxx: 'cpp',
  hpp: 'cpp', hh: 'cpp', cs: 'csharp', php: 'php', swift: 'swift', m: 'objective-c', sh: 'shell', bash: 'shell',
  json: 'json', yml: 'yaml', yaml: 'yaml', toml: 'toml', md: 'markdown', rst: 'text', txt: 'text', html: 'html',
  css: 'css', scss: 'css', sql: 'sql', proto: 'protobuf', vue: 'vue', svelte: 'svelte', lua: 'lua', ex: 'elixir',
  exs: 'elixir', erl: 'erlang', zig: 'zig', dart: 'dart', r: 'r', jl: 'julia', tf: 'terraform', gradle: 'gradle',
};
const BY_NAME: Record<string, string> = {
  dockerfile: 'docker', makefile: 'make', 'cmakelists.txt': 'cmake', gemfile: 'ruby', rakefile: 'ruby', jenkinsfile: 'groovy',
};

/** A lowercase language name, or undefined when the file name does not tell. */
export function languageOf(path: string): string | undefined {
  const name = (path.slice(path.lastIndexOf('/') + 1)).toLowerCase();
  if (BY_NAME[name]) return BY_NAME[name];
  if (name.startsWith('dockerfile')) return 'docker';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? BY_EXTENSION[name.slice(dot + 1)] : undefined;
}
