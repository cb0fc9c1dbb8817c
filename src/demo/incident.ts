import type { History } from './build-repo.js';

// The incident reldiff is built from, as a git history: an image-inference service on two chips, a pure-library pytz bump,
// chip-specific modules, a dashboard with npm dependencies, and the culprit: an exception instance created once at
// module level and raised on every malformed image.

const app = (response = '{"labels": result}'): string => `from flask import Flask, request

from service.images import decode_image
from service.platform import backend

app = Flask(__name__)


@app.post("/infer")
def infer():
    image = decode_image(request.get_data())
    result = backend().run(image)
    return ${response}
`;

const imagesBefore = `import io

from PIL import Image


class ImageFormatError(ValueError):
    pass


def decode_image(body: bytes):
    image = Image.open(io.BytesIO(body))
    return image.convert("RGB")
`;

const imagesAfter = `import io

from PIL import Image


class ImageFormatError(ValueError):
    pass


IMAGE_FORMAT_EXCEPTION = ImageFormatError("unsupported image format")
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")


def decode_image(body: bytes):
    image = Image.open(io.BytesIO(body))
    if image.format not in ALLOWED_FORMATS:
        raise IMAGE_FORMAT_EXCEPTION
    return image.convert("RGB")
`;

const chip = (name: string, batch: number, extra = ''): string => `import time

BATCH_SIZE = ${batch}


class ${name}Backend:
    def __init__(self, model_path: str = "/models/${name.toLowerCase()}.bin"):
        self.model_path = model_path

    def run(self, image):
        start = time.monotonic()
        labels = self._infer([image])
        self.last_latency = time.monotonic() - start${extra}
        return labels

    def _infer(self, batch):
        return ["cat"] * len(batch)
`;

const platform = `import os

from service.platform.chip_a import ChipABackend
from service.platform.chip_b import ChipBBackend


def backend():
    return ChipBBackend() if os.environ.get("CHIP") == "B" else ChipABackend()
`;

const requirements = (pytz: string): string => `# pip-compile output, trimmed
flask==3.0.0
itsdangerous==2.1.2
jinja2==3.1.2
markupsafe==2.1.3
numpy==1.26.2
pillow==10.1.0
pytz==${pytz}
werkzeug==3.0.1
`;

interface NpmPkg { name: string; version: string; dev?: boolean; deps?: Record<string, string>; script?: boolean }

function packageLock(packages: NpmPkg[], direct: Record<string, string>, devDirect: Record<string, string> = {}): string {
  const entries: Record<string, unknown> = {
    '': { name: 'inference-dashboard', version: '1.0.0', dependencies: direct, devDependencies: devDirect },
  };
  for (const p of [...packages].sort((a, b) => a.name.localeCompare(b.name))) {
    entries[`node_modules/${p.name}`] = {
      version: p.version,
      resolved: `https://registry.npmjs.org/${p.name}/-/${p.name.split('/').pop() ?? p.name}-${p.version}.tgz`,
      integrity: `sha512-${Buffer.from(`${p.name}@${p.version}`).toString('base64')}`,
      ...(p.dev ? { dev: true } : {}),
      ...(p.script ? { hasInstallScript: true } : {}),
      ...(p.deps ? { dependencies: p.deps } : {}),
    };
  }
  return `${JSON.stringify({ name: 'inference-dashboard', version: '1.0.0', lockfileVersion: 3, requires: true, packages: entries }, null, 2)}\n`;
}

const dashboardBefore: NpmPkg[] = [
  { name: 'express', version: '4.18.2', deps: { 'body-parser': '1.20.1', debug: '2.6.9' } },
  { name: 'body-parser', version: '1.20.1' },
  { name: 'debug', version: '2.6.9', deps: { ms: '2.0.0' } },
  { name: 'ms', version: '2.0.0' },
  { name: 'prettier', version: '3.1.0', dev: true },
];
const dashboardAfter: NpmPkg[] = [
  { name: 'express', version: '4.18.3', deps: { 'body-parser': '1.20.2', debug: '2.6.9' } },
  { name: 'body-parser', version: '1.20.2' },
  { name: 'debug', version: '2.6.9', deps: { ms: '2.0.0' } },
  { name: 'ms', version: '2.0.0' },
  { name: 'prettier', version: '3.1.1', dev: true },
];

export const incidentHistory: History = {
  commits: [
    {
      message: 'Inference service: Flask API, image decoding, chip A and chip B backends',
      tag: 'v1.4.0',
      files: {
        'README.md': '# inference service\n\nImage classification on two hardware platforms.\n',
        'requirements.txt': requirements('2023.3'),
        'service/__init__.py': '',
        'service/app.py': app(),
        'service/images.py': imagesBefore,
        'service/platform/__init__.py': platform,
        'service/platform/chip_a.py': chip('ChipA', 8),
        'service/platform/chip_b.py': chip('ChipB', 16),
        'dashboard/package.json': '{ "name": "inference-dashboard", "dependencies": { "express": "^4.18.2" }, "devDependencies": { "prettier": "^3.1.0" } }\n',
        'dashboard/package-lock.json': packageLock(dashboardBefore, { express: '^4.18.2' }, { prettier: '^3.1.0' }),
        'dashboard/server.js': "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(8080);\n",
      },
    },
    { message: 'Bump pytz to 2023.3.post1', author: 'Robin Renovate', files: { 'requirements.txt': requirements('2023.3.post1') } },
    { message: 'chip B: raise batch size to 32', files: { 'service/platform/chip_b.py': chip('ChipB', 32) } },
    {
      message: 'Reject unsupported image formats early',
      author: 'Sam Contributor',
      files: { 'service/images.py': imagesAfter },
    },
    {
      message: 'dashboard: update express to 4.18.3',
      author: 'Robin Renovate',
      files: { 'dashboard/package-lock.json': packageLock(dashboardAfter, { express: '^4.18.2' }, { prettier: '^3.1.0' }) },
    },
    {
      message: 'chip A: record inference latency',
      files: { 'service/platform/chip_a.py': chip('ChipA', 8, '\n        self.samples = getattr(self, "samples", 0) + 1') },
    },
    { message: 'docs: describe the two platforms', files: { 'README.md': '# inference service\n\nImage classification on chip A and chip B.\nSet CHIP=B on the chip-B fleet.\n' } },
    { message: 'Return labels with a request id', tag: 'v1.5.0', files: { 'service/app.py': app('{"labels": result, "request": request.headers.get("X-Request-Id")}') } },
  ],
};
