import { createHash } from 'node:crypto';
import { buildWheel } from './fake-pypi.js';
import { startRegistry, type RegistryServer } from './registry-server.js';

// A loopback PEP 503 simple index (https://peps.python.org/pep-0503/) serving wheels built at test time: what
// `pip install --no-deps` needs, so that PyPI is never asked.

export interface FakeWheel { name: string; version: string; module: string; init?: string }

export async function startSimpleIndex(wheels: readonly FakeWheel[]): Promise<RegistryServer> {
  const server = await startRegistry();
  const links = new Map<string, string[]>();
  for (const w of wheels) {
    const dist = w.name.replace(/-/g, '_');
    const file = `${dist}-${w.version}-py3-none-any.whl`;
    const body = buildWheel(dist, w.version, { [`${w.module}/__init__.py`]: w.init ?? '' }, [{ name: `${dist}-${w.version}.dist-info/RECORD`, text: '' }]);
    server.route(`/files/${file}`, { body, headers: { 'content-type': 'application/octet-stream' } });
    const project = w.name.toLowerCase().replace(/[-_.]+/g, '-');
    const sha = createHash('sha256').update(body).digest('hex');
    links.set(project, [...(links.get(project) ?? []), `<a href="/files/${file}#sha256=${sha}">${file}</a>`]);
  }
  for (const [project, anchors] of links) {
    server.route(`/simple/${project}/`, { body: `<!DOCTYPE html><html><body>\n${anchors.join('<br>\n')}\n</body></html>\n`, headers: { 'content-type': 'text/html' } });
  }
  return server;
}
