import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create } from 'tar';

// A real registry on 127.0.0.1 for tests and the benchmark: routes by path, each answer or a sequence of answers.

export interface Answer { status?: number; headers?: Record<string, string>; body?: string | Buffer | object; delayMs?: number }
export type Route = Answer | Answer[] | ((path: string) => Answer);
export interface SeenRequest { method: string; path: string; headers: IncomingHttpHeaders }

export interface RegistryServer {
  url: string;
  requests: SeenRequest[];
  route(path: string, route: Route): void;
  close(): Promise<void>;
}

export async function startRegistry(fallback?: (path: string) => Answer | undefined): Promise<RegistryServer> {
  const routes = new Map<string, Route>();
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const route = routes.get(path);
    let answer: Answer | undefined;
    if (Array.isArray(route)) answer = route.length > 1 ? route.shift() : route[0];
    else if (typeof route === 'function') answer = route(path);
    else answer = route ?? fallback?.(path);
    answer ??= { status: 404, body: { error: 'Not found' } };
    const send = () => {
      const body = answer.body === undefined ? '' : typeof answer.body === 'string' || Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status ?? 200, answer.headers ?? {});
      res.end(body);
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    route: (path, route) => routes.set(path, route),
    close: () => new Promise<void>(resolve => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface VersionSpec {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  gypfile?: boolean;
  deprecated?: string;
  maintainers?: string[];
  publisher?: string;
  unpackedSize?: number;
  fileCount?: number;
  keywords?: string[];
  time?: string;
  tarball?: string;
  integrity?: string;
}

/** A full packument as the npm registry serves it. */
export function packument(name: string, versions: Record<string, VersionSpec>): object {
  const names = Object.keys(versions);
  const time: Record<string, string> = {};
  const docs: Record<string, object> = {};
  for (const [version, spec] of Object.entries(versions)) {
    if (spec.time) time[version] = spec.time;
    docs[version] = {
      name, version, dependencies: spec.dependencies ?? {}, optionalDependencies: spec.optionalDependencies,
      scripts: spec.scripts ?? {}, gypfile: spec.gypfile, deprecated: spec.deprecated, keywords: spec.keywords,
      maintainers: (spec.maintainers ?? []).map(m => ({ name: m, email: `${m}@example.test` })),
      _npmUser: spec.publisher ? { name: spec.publisher, email: `${spec.publisher}@example.test` } : undefined,
      dist: { tarball: spec.tarball ?? `https://example.invalid/${name}-${version}.tgz`, integrity: spec.integrity, unpackedSize: spec.unpackedSize, fileCount: spec.fileCount },
    };
  }
  return { name, 'dist-tags': { latest: names[names.length - 1] }, versions: docs, time };
}

/**
 * A gzipped npm tarball built with `tar` from files under `package/`. Paths outside `package/` (like `../x` or
 * absolute ones) and `symlinks` are stored as given, to build hostile archives.
 */
export async function buildTarball(files: Record<string, string>, symlinks: Record<string, string> = {}): Promise<Buffer> {
  const root = await mkdtemp(join(tmpdir(), 'reldiff-tgz-'));
  const cwd = join(root, 'a', 'b');
  try {
    const entries: string[] = [];
    for (const [path, text] of Object.entries(files)) {
      const full = path.startsWith('/') ? path : join(cwd, path);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, text);
      entries.push(path);
    }
    for (const [path, target] of Object.entries(symlinks)) {
      await mkdir(dirname(join(cwd, path)), { recursive: true });
      await symlink(target, join(cwd, path));
      entries.push(path);
    }
    await mkdir(cwd, { recursive: true });
    const chunks: Buffer[] = [];
    const stream = create({ cwd, gzip: true, preservePaths: true, portable: true }, entries);
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Registries started by one test file, closed together in its afterEach. */
export function registryPool(): { serve: () => Promise<RegistryServer>; closeAll: () => Promise<void> } {
  const started: RegistryServer[] = [];
  return {
    serve: async () => {
      const server = await startRegistry();
      started.push(server);
      return server;
    },
    closeAll: async () => { await Promise.all(started.splice(0).map(s => s.close())); },
  };
}
