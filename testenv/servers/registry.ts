// A minimal OCI distribution registry for image scans, on 127.0.0.1: GET /v2/ and
// GET /v2/<name>/tags/list, answering the repositories and tags in REPOS (JSON: {"name": ["tag",…]})
// and the distribution spec's NAME_UNKNOWN error for any other repository. Enough for
// image-reflector-controller, which only lists tags unless digest reflection is enabled.

import { createServer } from 'node:http';

const port = Number(process.env.PORT);
const repos: Record<string, string[]> = JSON.parse(process.env.REPOS ?? '{}');

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
  if (url.pathname === '/healthz' || url.pathname === '/v2/' || url.pathname === '/v2') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{}');
    return;
  }
  const m = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
  if (m && (req.method === 'GET' || req.method === 'HEAD')) {
    const name = m[1]!;
    const tags = repos[name];
    if (!tags) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry', detail: { name } }],
        }),
      );
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ name, tags }));
    return;
  }
  res.writeHead(404, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ code: 'UNSUPPORTED', message: 'The operation is unsupported.' }] }));
});

server.listen(port, '127.0.0.1', () => process.stderr.write(`registry on 127.0.0.1:${port}\n`));
