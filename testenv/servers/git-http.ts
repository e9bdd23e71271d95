// Git over smart HTTP for the test environment: Debian git's `git http-backend` (CGI) behind a Node
// server on 127.0.0.1. Repositories under GIT_ROOT/public/ need no credentials; those under
// GIT_ROOT/private/ need basic auth AUTH_USER/AUTH_PASSWORD (pushes are allowed with it).

import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
const root = process.env.GIT_ROOT!;
const user = process.env.AUTH_USER ?? 'flux';
const password = process.env.AUTH_PASSWORD ?? '';
mkdirSync(`${root}/public`, { recursive: true });
mkdirSync(`${root}/private`, { recursive: true });

const backend = '/usr/lib/git-core/git-http-backend';

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/healthz') {
    res.end('ok');
    return;
  }
  let remoteUser = '';
  if (url.pathname.startsWith('/private/')) {
    const auth = req.headers.authorization ?? '';
    const [u, p] = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':') : [];
    if (u !== user || p !== password) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="fluxdoctor testenv"' });
      res.end('authentication required');
      return;
    }
    remoteUser = u!;
  }
  const cgi = spawn(backend, [], {
    env: {
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: url.pathname,
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: remoteUser,
      REMOTE_ADDR: '127.0.0.1',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      HTTP_GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      PATH: process.env.PATH ?? '/usr/bin:/bin',
    },
  });
  req.pipe(cgi.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const sep = head.indexOf('\r\n\r\n');
    const sepLen = sep >= 0 ? 4 : 2;
    const at = sep >= 0 ? sep : head.indexOf('\n\n');
    if (at < 0) return;
    headersDone = true;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, at).toString().split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i < 0) continue;
      const k = line.slice(0, i).trim();
      const v = line.slice(i + 1).trim();
      if (k.toLowerCase() === 'status') status = Number(v.split(' ')[0]);
      else headers[k] = v;
    }
    res.writeHead(status, headers);
    res.write(head.subarray(at + sepLen));
  });
  cgi.stdout.on('end', () => res.end());
  cgi.stderr.on('data', (d) => process.stderr.write(d));
  cgi.on('error', (e) => {
    res.writeHead(500);
    res.end(String(e));
  });
});

server.listen(port, '127.0.0.1', () => process.stderr.write(`git http server on 127.0.0.1:${port}\n`));
