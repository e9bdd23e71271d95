// No Secret value may appear in any output: feed Secrets with known values, grep every format.
// (The wider corpus, 59 secret shapes in every field, every view and the MCP server, is test/leak-corpus.test.ts.)

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { type Io, main } from '../src/cli/main.js';
import { obj, status } from './helpers.js';

const VALUES = [
  's3cr3t-Passw0rd-XYZ',
  'ghp_TOKENVALUE1234567890',
  'AGE-SECRET-KEY-1QQQQQQQQQQ',
  'webhook-token-987654',
];
const b64 = (s: string) => Buffer.from(s).toString('base64');
const NEEDLES = [...VALUES, ...VALUES.map(b64)];

function secretWith(name: string, ns: string, values: Record<string, string>, stringData?: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name,
      namespace: ns,
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)])),
        }),
      },
    },
    data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)])),
    ...(stringData ? { stringData } : {}),
  };
}

const cluster = [
  secretWith('git-creds', 'flux-system', { username: 'git', password: VALUES[0]! }),
  secretWith('gh-token', 'flux-system', { token: VALUES[1]! }, { extra: VALUES[1]! }),
  secretWith('sops-age', 'flux-system', { 'age.agekey': VALUES[2]! }),
  secretWith('receiver-token', 'flux-system', { token: VALUES[3]! }),
  obj('GitRepository', 'apps', {
    spec: { url: 'https://github.com/example/apps', secretRef: { name: 'git-creds' } },
    status: status([
      'False',
      'AuthenticationFailed',
      "failed to checkout and determine revision: unable to clone 'https://github.com/example/apps': authentication required",
    ]),
  }),
  obj('Kustomization', 'apps', {
    spec: {
      sourceRef: { kind: 'GitRepository', name: 'apps' },
      decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
    },
    status: status(['False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s']),
  }),
  obj('Receiver', 'github', {
    spec: {
      type: 'github',
      secretRef: { name: 'receiver-token' },
      resources: [{ kind: 'GitRepository', name: 'apps' }],
    },
    status: status(['True', 'Succeeded', 'Receiver initialized for path: /hook/abc']),
  }),
  obj('HelmRelease', 'apps/web', {
    spec: {
      chart: { spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'charts' } } },
      valuesFrom: [{ kind: 'Secret', name: 'web-values' }],
    },
    status: status([
      'False',
      'ValuesError',
      "could not resolve Secret chart values reference 'apps/web-values' with key 'values.yaml': secrets \"web-values\" not found",
    ]),
  }),
];

async function run(args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
  };
  await main(['node', 'fluxdoctor', ...args], io);
  return out + err;
}

describe('Secret values never leave the reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-secrets-'));
  const yamlPath = join(dir, 'cluster.yaml');
  writeFileSync(yamlPath, stringify({ apiVersion: 'v1', kind: 'List', items: cluster }));
  const jsonPath = join(dir, 'cluster.json');
  writeFileSync(jsonPath, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: cluster }));

  for (const path of [yamlPath, jsonPath]) {
    for (const fmt of ['text', 'json', 'yaml', 'markdown']) {
      it(`diagnose -o ${fmt} on ${path.endsWith('json') ? 'JSON' : 'YAML'} input`, async () => {
        const out = await run(['diagnose', '--snapshot', path, '-o', fmt, '-v']);
        assert.ok(out.length > 100, 'produced a report');
        for (const n of NEEDLES) assert.ok(!out.includes(n), `output contains a secret value (${n.slice(0, 4)}…)`);
      });
    }
  }

  it('the test can fail: the needles are in the input', () => {
    const input = stringify(cluster);
    assert.ok(VALUES.every((v) => input.includes(v) || input.includes(b64(v))));
  });
});

describe('secret-looking text in cluster messages is masked at read time', () => {
  it('URL credentials, private keys, age keys, sops input strings, tokens', async () => {
    const { redactText } = await import('../src/read/redact.js');
    const cases: [string, RegExp, string][] = [
      [
        "unable to clone 'https://bot:ghp_abc123XYZ@github.com/org/repo': authentication required",
        /ghp_abc123XYZ/,
        'https://bot:***@github.com',
      ],
      [
        'key: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----',
        /b3BlbnNzaC1rZXk/,
        'PRIVATE KEY----- ***',
      ],
      [
        'failed: AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQS is invalid',
        /QYQSZQGP/,
        'AGE-SECRET-KEY-1***',
      ],
      [
        "Could not decrypt value: Input string glagent-s3cr3t does not match sops' data format",
        /glagent-s3cr3t/,
        'Input string ***',
      ],
      ['Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig', /eyJhbGci/, 'Bearer ***'],
      ['connect failed password=hunter22 host=db', /hunter22/, 'password=***'],
    ];
    for (const [input, secret, expected] of cases) {
      const out = redactText(input);
      assert.doesNotMatch(out, secret, input);
      assert.ok(out.includes(expected), `${out} should contain ${expected}`);
    }
    assert.equal(
      redactText("dependency 'flux-system/infra' is not ready"),
      "dependency 'flux-system/infra' is not ready",
    );
  });

  it('applies to conditions, events and logs as they are read', async () => {
    const { SnapshotBuilder } = await import('../src/read/snapshot.js');
    const b = new SnapshotBuilder();
    const msg = "unable to clone 'https://bot:TOPSECRET@github.com/org/repo'";
    b.addText(
      stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          obj('GitRepository', 'apps', { status: status(['False', 'GitOperationFailed', msg]) }),
          {
            apiVersion: 'v1',
            kind: 'Event',
            metadata: { name: 'e', namespace: 'flux-system' },
            involvedObject: { kind: 'GitRepository', name: 'apps', namespace: 'flux-system' },
            reason: 'x',
            message: msg,
            type: 'Warning',
          },
        ],
      }),
      'x.yaml',
    );
    b.addLogText(JSON.stringify({ level: 'error', msg: 'Reconciler error', error: msg }), 'x.log');
    assert.doesNotMatch(JSON.stringify(b.build()), /TOPSECRET/);
  });
});
