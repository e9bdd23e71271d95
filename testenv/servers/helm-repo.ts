// A Helm HTTP repository for the test environment: packages the charts in CHARTS into HELM_ROOT,
// writes index.yaml with digests, and serves /public/ without credentials and /private/ with basic
// auth (AUTH_USER/AUTH_PASSWORD). Listens on 127.0.0.1 only. With TLS_PORT, TLS_CERT and TLS_KEY it
// also serves the same content over HTTPS on TLS_PORT, with a certificate from a CA of its own (one
// no HelmRepository is given), for certificate-trust scenarios.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { join, normalize } from 'node:path';
import { dump, load } from 'js-yaml';

const port = Number(process.env.PORT);
const root = process.env.HELM_ROOT!;
const charts = process.env.CHARTS!;
const user = process.env.AUTH_USER ?? 'flux';
const password = process.env.AUTH_PASSWORD ?? '';

function packageAll(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const entries: Record<string, object[]> = {};
  const created = new Date().toISOString();
  for (const src of readdirSync(charts).sort()) {
    const chartYaml = join(charts, src, 'Chart.yaml');
    if (!existsSync(chartYaml)) continue;
    const meta = load(readFileSync(chartYaml, 'utf8')) as {
      name: string;
      version: string;
      appVersion?: string;
      apiVersion: string;
    };
    // The archive's top directory must be the chart's name: stage a copy under that name.
    const stage = join(dir, '.stage', `${meta.name}-${meta.version}`);
    mkdirSync(stage, { recursive: true });
    execFileSync('cp', ['-r', join(charts, src), join(stage, meta.name)]);
    const tgz = `${meta.name}-${meta.version}.tgz`;
    execFileSync('tar', ['-czf', join(dir, tgz), '-C', stage, meta.name]);
    const digest = createHash('sha256')
      .update(readFileSync(join(dir, tgz)))
      .digest('hex');
    entries[meta.name] ??= [];
    entries[meta.name]!.push({ ...meta, urls: [tgz], digest, created });
  }
  writeFileSync(join(dir, 'index.yaml'), dump({ apiVersion: 'v1', entries, generated: created }));
}

packageAll(join(root, 'public'));
packageAll(join(root, 'private'));

const handler: RequestListener = (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/healthz') {
    res.end('ok');
    return;
  }
  if (url.pathname.startsWith('/private/')) {
    const auth = req.headers.authorization ?? '';
    const [u, p] = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':') : [];
    if (u !== user || p !== password) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="fluxdoctor testenv"' });
      res.end('401 Unauthorized');
      return;
    }
  }
  const file = normalize(join(root, url.pathname));
  if (!file.startsWith(root) || !existsSync(file) || file.includes('/.stage')) {
    res.writeHead(404);
    res.end('404 page not found');
    return;
  }
  res.writeHead(200, { 'Content-Type': file.endsWith('.yaml') ? 'application/x-yaml' : 'application/gzip' });
  res.end(readFileSync(file));
};

createServer(handler).listen(port, '127.0.0.1', () => process.stderr.write(`helm repository on 127.0.0.1:${port}\n`));

const tlsPort = Number(process.env.TLS_PORT ?? 0);
if (tlsPort > 0 && process.env.TLS_CERT && process.env.TLS_KEY) {
  createTlsServer({ cert: readFileSync(process.env.TLS_CERT), key: readFileSync(process.env.TLS_KEY) }, handler).listen(
    tlsPort,
    '127.0.0.1',
    () => process.stderr.write(`helm repository (HTTPS) on 127.0.0.1:${tlsPort}\n`),
  );
}
