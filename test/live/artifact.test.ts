// The artifact probe of `check` never reaches this machine, a link-local address or a metadata
// service because a cluster said so: address classification in every spelling, resolution of
// names, and a real loopback HTTP server that must receive nothing unless --allow-local-probe.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { canonicalHost, localAddressKind } from '../../src/live/address.js';
import { probeArtifact } from '../../src/live/artifact.js';

describe('localAddressKind', () => {
  const cases: [string, string | undefined][] = [
    // IPv4 loopback in every spelling the URL parser (and so http.request) accepts.
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['2130706433', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['017700000001', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['127.0.0.1.', 'loopback'],
    ['localhost', 'loopback'],
    ['localhost.', 'loopback'],
    ['LocalHost', 'loopback'],
    ['api.localhost', 'loopback'],
    // unspecified: connecting to 0.0.0.0 reaches this host on Linux.
    ['0.0.0.0', 'unspecified'],
    ['0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['[::]', 'unspecified'],
    ['0:0:0:0:0:0:0:0', 'unspecified'],
    // link-local and metadata.
    ['169.254.1.2', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['2852039166', 'metadata'],
    ['0xa9.0xfe.0xa9.0xfe', 'metadata'],
    ['metadata.google.internal', 'metadata'],
    ['metadata.google.internal.', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['[fe80::1%eth0]', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    // IPv6 loopback and IPv4 embedded in IPv6.
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['::ffff:0.0.0.0', 'unspecified'],
    // Ordinary hosts.
    ['github.com', undefined],
    ['source-controller.flux-system.svc.cluster.local.', undefined],
    ['10.0.0.1', undefined],
    ['8.8.8.8', undefined],
    ['128.0.0.1', undefined],
    ['169.255.0.1', undefined],
    ['fec0::1', undefined],
    ['fc00::1', undefined],
    ['2001:db8::1', undefined],
    ['::ffff:8.8.8.8', undefined],
    ['notlocalhost', undefined],
    ['localhost.example.com', undefined],
  ];
  for (const [host, want] of cases)
    it(`${host} → ${want ?? 'not local'}`, () => assert.equal(localAddressKind(host), want));

  it('canonicalHost gives the form the URL parser connects to', () => {
    assert.equal(canonicalHost('0x7f.1'), '127.0.0.1');
    assert.equal(canonicalHost('[::ffff:127.0.0.1]'), '::ffff:7f00:1');
    assert.equal(canonicalHost('Example.COM.'), 'example.com');
  });
});

describe('probeArtifact', () => {
  let server: Server;
  let port = 0;
  const seen: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  it('refuses loopback URLs in any spelling: the server receives nothing', async () => {
    seen.length = 0;
    for (const host of ['127.0.0.1', '2130706433', '0x7f.1', 'localhost', 'localhost.', '[::ffff:127.0.0.1]']) {
      const url = `http://${host}:${port}/gitrepository/flux-system/apps/abc.tar.gz`;
      const p = await probeArtifact(url, 2000);
      assert.equal(p.outcome, 'local', `${host}: ${JSON.stringify(p)}`);
      assert.match(p.detail, /^not checked: .* is (a loopback|an unspecified) address/);
    }
    assert.deepEqual(seen, []);
  });

  it('refuses a name that resolves to a loopback or metadata address', async () => {
    seen.length = 0;
    const p = await probeArtifact(`http://storage.example.com:${port}/x.tar.gz`, 2000, {
      resolve: async () => [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
    });
    assert.equal(p.outcome, 'local');
    assert.match(p.detail, /storage\.example\.com resolves to 127\.0\.0\.1, a loopback address/);
    const m = await probeArtifact('http://storage.example.com/x', 2000, {
      resolve: async () => [{ address: 'fd00:ec2::254', family: 6 }],
    });
    assert.equal(m.outcome, 'local');
    assert.match(m.detail, /metadata/);
    assert.deepEqual(seen, []);
  });

  it('connects only to the vetted addresses (the name is not resolved a second time)', async (t) => {
    // A non-loopback address of this machine: the name `pinned.invalid` cannot resolve through the
    // system resolver, so an answer proves the request went to the vetted address.
    const ip = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
    if (!ip) return t.skip('no non-loopback IPv4 address on this machine');
    const wide = createServer((req, res) => {
      seen.push(`${req.method} ${req.headers.host}`);
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => wide.listen(0, ip, r));
    try {
      seen.length = 0;
      const wport = (wide.address() as AddressInfo).port;
      const p = await probeArtifact(`http://pinned.invalid:${wport}/x.tar.gz`, 2000, {
        resolve: async () => [{ address: ip, family: 4 }],
      });
      assert.equal(p.outcome, 'ok', JSON.stringify(p));
      assert.deepEqual(seen, [`HEAD pinned.invalid:${wport}`]);
    } finally {
      wide.close();
    }
  });

  it('probes loopback with allowLocal (the CLI --allow-local-probe)', async () => {
    seen.length = 0;
    const p = await probeArtifact(`http://127.0.0.1:${port}/gitrepository/a.tar.gz`, 2000, { allowLocal: true });
    assert.equal(p.outcome, 'ok');
    assert.deepEqual(seen, ['HEAD /gitrepository/a.tar.gz']);
  });

  it('in-cluster names are still not tried; non-http URLs fail', async () => {
    assert.equal(
      (await probeArtifact('http://source-controller.flux-system.svc.cluster.local./x', 2000)).outcome,
      'in-cluster',
    );
    assert.equal((await probeArtifact('file:///etc/passwd', 2000)).outcome, 'fail');
  });
});
