// The leak corpus (issue 8): secrets in many real token formats, each with a unique marker value,
// planted in every field a cluster can put text in (condition and event messages, every field of a
// log line, container messages, spec.url, annotations, last-applied, spec.values,
// postBuild.substitute, env values, Secret and ConfigMap data). Every CLI output format, every view,
// the support bundle and every MCP tool result, resource and prompt is grepped for each marker, its
// base64 and its URL-encoded form: zero found. Then: every pattern is linear on backtracking-prone
// text, and the bundle drops values, is bounded and is written 0600.

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { dump } from 'js-yaml';
import { type Io, main } from '../src/cli/main.js';
import { maskStrings, maskText, PATTERN_COUNT, redactText } from '../src/read/redact.js';
import { SnapshotBuilder } from '../src/read/snapshot.js';
import { boundedCopy, REMOVED_VALUE, snapshotToYaml } from '../src/read/write.js';
import { obj, status } from './helpers.js';

// ---------- the corpus ----------

/** Deterministic token characters: `len` characters of `alphabet`, starting with the marker id. */
function chars(
  id: string,
  len: number,
  alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
): string {
  let out = id;
  let x = [...id].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) >>> 0;
  while (out.length < len) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += alphabet[x % alphabet.length];
  }
  return out.slice(0, len);
}
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

interface Shape {
  name: string;
  /** The secret: what must never appear in any output (also base64 and URL-encoded). */
  secrets: string[];
  /** The text a cluster would carry. */
  text: string;
  /** A URL: also planted in spec.url. */
  url?: boolean;
}

function shape(name: string, make: (id: string) => { text: string; secrets: string[]; url?: boolean }): Shape {
  const id = `Lk${name.replace(/[^A-Za-z0-9]/g, '').slice(0, 6)}`;
  return { name, ...make(id) };
}

const jwt = (id: string) =>
  `eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.${b64url(`{"sub":"${id}","iss":"https://kubernetes.default.svc"}`)}.${chars(`${id}sig`, 43, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_')}`;

const pem = (type: string, id: string) => {
  const body = chars(id, 64, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
  return {
    text: `-----BEGIN ${type}-----\n${body}\n${body.split('').reverse().join('')}==\n-----END ${type}-----`,
    secrets: [body],
  };
};

const SHAPES: Shape[] = [
  shape('url-userinfo', (id) => ({
    text: `https://flux:${id}-hunter2@github.com/org/repo.git`,
    secrets: [`${id}-hunter2`],
    url: true,
  })),
  shape('url-password-slash', (id) => ({
    text: `https://git:${id}/pa/ss@gitlab.example.com/org/repo`,
    secrets: [`${id}/pa/ss`],
    url: true,
  })),
  shape('url-password-%2F', (id) => ({
    text: `https://git:${id}%2Fpa%2Bss@gitea.example.com/org/repo`,
    secrets: [`${id}%2Fpa%2Bss`],
    url: true,
  })),
  shape('url-token-as-user', (id) => {
    const t = `ghp_${chars(id, 36)}`;
    return { text: `https://${t}@github.com/org/private.git`, secrets: [t.slice(4)], url: true };
  }),
  shape('url-ssh-password', (id) => ({
    text: `ssh://git:${id}Sshpw9@git.example.com:22/org/repo`,
    secrets: [`${id}Sshpw9`],
    url: true,
  })),
  shape('url-oci-password', (id) => ({
    text: `oci://robot:${id}Oc1pw@registry.example.com/charts/app`,
    secrets: [`${id}Oc1pw`],
    url: true,
  })),
  shape('url-x-access-token', (id) => {
    const t = `ghs_${chars(id, 36)}`;
    return { text: `https://x-access-token:${t}@github.com/org/repo`, secrets: [t.slice(4)], url: true };
  }),
  shape('authorization-basic', (id) => {
    const v = b64(`admin:${id}-basicpw`);
    return { text: `GET /v2/ 401: request had Authorization: Basic ${v}`, secrets: [v, `${id}-basicpw`] };
  }),
  shape('authorization-bearer', (id) => {
    const t = chars(id, 40);
    return { text: `"Authorization": "Bearer ${t}"`, secrets: [t] };
  }),
  shape('authorization-token-github', (id) => {
    const t = `ghp_${chars(id, 36)}`;
    return { text: `Authorization: token ${t}`, secrets: [t.slice(4)] };
  }),
  shape('bare-bearer', (id) => {
    const t = `${chars(id, 24)}.${chars(`${id}b`, 12)}`;
    return { text: `oidc: rejected bearer ${t} for audience sts`, secrets: [t] };
  }),
  shape('go-header-map', (id) => {
    const t = chars(id, 32);
    return { text: `request headers map[Authorization:[Bearer ${t}] User-Agent:[flux]]`, secrets: [t] };
  }),
  shape('dockerconfig-auth', (id) => {
    const v = b64(`robot$ci:${id}Dock3r`);
    return { text: `{"auths":{"ghcr.io":{"auth":"${v}"}}}`, secrets: [v, `${id}Dock3r`] };
  }),
  shape('dockerconfig-password', (id) => ({
    text: `{"auths":{"registry.example.com":{"username":"ci","password":"${id}-dockerpw"}}}`,
    secrets: [`${id}-dockerpw`],
  })),
  shape('dockerconfig-identitytoken', (id) => {
    const t = chars(id, 48);
    return { text: `{"auths":{"acr.azurecr.io":{"identitytoken":"${t}"}}}`, secrets: [t] };
  }),
  shape('json-token', (id) => ({
    text: `cannot parse response {"token":"${id}-jsontok","expires":3600}`,
    secrets: [`${id}-jsontok`],
  })),
  shape('json-apiKey', (id) => ({
    text: `provider config {"apiKey": "${id}-apikeyvalue"}`,
    secrets: [`${id}-apikeyvalue`],
  })),
  shape('yaml-client_secret', (id) => ({
    text: `oauth:\n  client_id: fluxdoctor\n  client_secret: ${id}-clientsecret`,
    secrets: [`${id}-clientsecret`],
  })),
  shape('yaml-private_key-quoted', (id) => ({ text: `private_key: '${id}-privkey'`, secrets: [`${id}-privkey`] })),
  shape('kv-password', (id) => ({
    text: `dial postgres host=db user=app password=${id}Pgpw sslmode=require`,
    secrets: [`${id}Pgpw`],
  })),
  shape('env-DB_PASSWORD', (id) => ({ text: `DB_PASSWORD="${id}-envpw"`, secrets: [`${id}-envpw`] })),
  shape('aws-access-key-id', () => {
    const k = `AKIA${chars('Q', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567').slice(0, 16)}`;
    return {
      text: `InvalidClientTokenId: The security token included in the request is invalid (key ${k})`,
      secrets: [k.slice(4)],
    };
  }),
  shape('aws-sts-key-id', () => {
    const k = `ASIA${chars('Z', 16, UPPER)}`;
    return { text: `using credentials ${k} from web identity`, secrets: [k.slice(4)] };
  }),
  shape('aws_secret_access_key', (id) => {
    const v = chars(id, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
    return { text: `[default]\naws_secret_access_key = ${v}`, secrets: [v] };
  }),
  shape('ghp', (id) => ({ text: `token ghp_${chars(id, 36)} was revoked`, secrets: [chars(id, 36)] })),
  shape('gho', (id) => ({ text: `oauth gho_${chars(id, 36)}`, secrets: [chars(id, 36)] })),
  shape('ghu', (id) => ({ text: `app user token ghu_${chars(id, 36)}`, secrets: [chars(id, 36)] })),
  shape('ghr', (id) => ({ text: `refresh ghr_${chars(id, 76)}`, secrets: [chars(id, 76)] })),
  shape('github_pat', (id) => {
    const t = `${chars(id, 22)}_${chars(`${id}2`, 59)}`;
    return { text: `fine-grained github_pat_${t} lacks contents:write`, secrets: [t] };
  }),
  shape('glpat', (id) => ({ text: `GitLab said 401 for glpat-${chars(id, 20)}`, secrets: [chars(id, 20)] })),
  shape('slack-bot-token', (id) => ({
    text: `slack: invalid_auth for xoxb-123456789012-${chars(id, 24)}`,
    secrets: [chars(id, 24)],
  })),
  shape('slack-webhook', (id) => ({
    text: `Post "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/${chars(id, 24)}": dial tcp: i/o timeout`,
    secrets: [chars(id, 24)],
  })),
  shape('discord-webhook', (id) => ({
    text: `Post https://discord.com/api/webhooks/1234567890123/${chars(id, 68)} 404`,
    secrets: [chars(id, 68)],
  })),
  shape('teams-webhook', (id) => ({
    text: `https://contoso.webhook.office.com/webhookb2/${chars(id, 36)}@tenant/IncomingWebhook/${chars(`${id}t`, 32)}/owner`,
    secrets: [chars(id, 36), chars(`${id}t`, 32)],
  })),
  shape('jwt', (id) => {
    const t = jwt(id);
    return { text: `serviceaccount token ${t} expired`, secrets: [t.split('.')[1]!, t.split('.')[2]!] };
  }),
  shape('pem-rsa', (id) => pem('RSA PRIVATE KEY', id)),
  shape('pem-ec', (id) => pem('EC PRIVATE KEY', id)),
  shape('pem-openssh', (id) => pem('OPENSSH PRIVATE KEY', id)),
  shape('pem-encrypted', (id) => pem('ENCRYPTED PRIVATE KEY', id)),
  shape('pem-pkcs8', (id) => pem('PRIVATE KEY', id)),
  shape('pgp-private-block', (id) => pem('PGP PRIVATE KEY BLOCK', id)),
  shape('age-secret-key', (id) => {
    const k = chars(id.toUpperCase(), 58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L');
    return { text: `failed to parse identity AGE-SECRET-KEY-1${k}`, secrets: [k] };
  }),
  shape('sops-input-string', (id) => ({
    text: `failed to decrypt: Input string ${id}-sopsvalue does not match sops' data format`,
    secrets: [`${id}-sopsvalue`],
  })),
  shape('cli-password', (id) => ({
    text: `exec: helm registry login ghcr.io --username ci --password ${id}-clipw`,
    secrets: [`${id}-clipw`],
  })),
  shape('cli-token', (id) => ({
    text: `flux bootstrap github --token=${id}-clitok --owner org`,
    secrets: [`${id}-clitok`],
  })),
  shape('cli-p', (id) => ({
    text: `docker login -u ci -p ${id}-dashp registry.example.com`,
    secrets: [`${id}-dashp`],
  })),
  shape('curl-user', (id) => ({
    text: `curl -u admin:${id}-curlpw https://nexus.example.com`,
    secrets: [`${id}-curlpw`],
  })),
  shape('x-api-key-header', (id) => ({ text: `X-Api-Key: ${id}-xapikey`, secrets: [`${id}-xapikey`] })),
  shape('private-token-header', (id) => ({ text: `Private-Token: ${chars(id, 20)}`, secrets: [chars(id, 20)] })),
  shape('x-auth-token-header', (id) => ({ text: `X-Auth-Token:${id}-authtok`, secrets: [`${id}-authtok`] })),
  shape('query-access_token', (id) => ({
    text: `GET https://api.example.com/v1/charts?access_token=${id}-qtok&page=2`,
    secrets: [`${id}-qtok`],
    url: true,
  })),
  shape('query-token', (id) => ({
    text: `https://bucket.example.com/x.tgz?foo=1&token=${id}-qtoken2`,
    secrets: [`${id}-qtoken2`],
    url: true,
  })),
  shape('azure-sas', (id) => {
    const sig = `${chars(id, 30)}%2B${chars(`${id}s`, 10)}%3D`;
    return {
      text: `https://acct.blob.core.windows.net/charts/index.yaml?sv=2022-11-02&ss=b&srt=o&sp=r&se=2027-01-01T00:00:00Z&sig=${sig}`,
      secrets: [sig],
      url: true,
    };
  }),
  shape('google-api-key', () => ({
    text: `key AIza${chars('SyD', 35, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-')} rejected`,
    secrets: [chars('SyD', 35, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-')],
  })),
  shape('npm-token', (id) => ({
    text: `//registry.npmjs.org/:_authToken=npm_${chars(id, 36)}`,
    secrets: [chars(id, 36)],
  })),
  shape('stripe-live', (id) => ({ text: `using sk_live_${chars(id, 24)}`, secrets: [chars(id, 24)] })),
  shape('telegram-bot', (id) => ({
    text: `Post https://api.telegram.org/bot123456789:${chars(id, 35)}/sendMessage`,
    secrets: [chars(id, 35)],
  })),
  shape('vault-token', (id) => ({ text: `X-Vault-Token hvs.${chars(id, 24)} denied`, secrets: [chars(id, 24)] })),
  shape('high-entropy-key', (id) => ({ text: `signing key: ${chars(id, 32)}9`, secrets: [chars(id, 32)] })),
];

const NEEDLES: { shape: string; needle: string }[] = SHAPES.flatMap((s) =>
  s.secrets.flatMap((sec) =>
    [sec, b64(sec), encodeURIComponent(sec)]
      .filter((n, i, a) => a.indexOf(n) === i)
      .map((needle) => ({ shape: s.name, needle })),
  ),
);

function leaks(out: string): string[] {
  return NEEDLES.filter((n) => out.includes(n.needle)).map((n) => `${n.shape} (${n.needle.slice(0, 12)}…)`);
}

// ---------- the cluster: every shape in every field ----------

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function objectsFor(s: Shape, i: number) {
  const t = s.text;
  const failing = (reason: string) => status(['False', reason, `${reason.toLowerCase()}: ${t}`]);
  const podSpec = {
    containers: [
      {
        name: 'app',
        image: 'ghcr.io/org/app:1.0',
        env: [
          { name: 'NOTE', value: t },
          { name: 'PLAIN', value: s.secrets[0] },
        ],
      },
    ],
    initContainers: [{ name: 'init', image: 'busybox', env: [{ name: 'INIT_NOTE', value: t }] }],
  };
  return [
    obj('GitRepository', `repo-${i}`, {
      spec: { url: s.url ? t : `https://github.com/org/repo-${i}`, interval: '1m', ref: { branch: 'main' } },
      status: failing('GitOperationFailed'),
    }),
    obj('Kustomization', `ks-${i}`, {
      annotations: {
        'example.com/note': t,
        [LAST_APPLIED]: JSON.stringify({ spec: { postBuild: { substitute: { NOTE: t, PLAIN: s.secrets[0] } } } }),
      },
      spec: {
        sourceRef: { kind: 'GitRepository', name: `repo-${i}` },
        path: './apps',
        postBuild: { substitute: { NOTE: t, PLAIN: s.secrets[0] } },
      },
      status: failing('BuildFailed'),
    }),
    obj('HelmRelease', `hr-${i}`, {
      spec: {
        chart: { spec: { chart: 'app', sourceRef: { kind: 'HelmRepository', name: `charts-${i}` } } },
        values: { config: { note: t, plain: s.secrets[0], list: [t, { deep: { deeper: t } }] } },
      },
      status: failing('InstallFailed'),
    }),
    obj('HelmRepository', `charts-${i}`, {
      spec: { url: s.url ? t : `https://charts.example.com/${i}`, interval: '10m' },
      status: failing('Failed'),
    }),
    // image why reads tags, patterns and the policy's status message: the text may sit in any of them.
    obj('ImageRepository', `img-${i}`, {
      spec: { image: `ghcr.io/org/app-${i}`, interval: '5m' },
      status: { ...failing('Failed'), lastScanResult: { tagCount: 3, latestTags: ['1.0.0', `v-${t}`, `${t}.sig`] } },
    }),
    obj('ImagePolicy', `imgpol-${i}`, {
      spec: {
        imageRepositoryRef: { name: `img-${i}` },
        policy: { alphabetical: {} },
        filterTags: { pattern: '^v-(?P<rest>.*)$', extract: 'x$rest' },
      },
      status: failing('Failure'),
    }),
    obj('Deployment', `dep-${i}`, {
      labels: { 'kustomize.toolkit.fluxcd.io/name': `ks-${i}`, 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' },
      annotations: { [LAST_APPLIED]: JSON.stringify({ spec: { template: { spec: podSpec } } }) },
      spec: { replicas: 1, template: { spec: podSpec } },
      status: {
        replicas: 1,
        unavailableReplicas: 1,
        conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: t }],
      },
    }),
    obj('Pod', `pod-${i}`, {
      labels: { 'kustomize.toolkit.fluxcd.io/name': `ks-${i}`, 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' },
      spec: podSpec,
      status: {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CreateContainerConfigError', message: t } },
            lastState: { terminated: { reason: 'Error', exitCode: 1, message: t } },
          },
        ],
        initContainerStatuses: [
          { name: 'init', ready: false, state: { terminated: { reason: 'Error', exitCode: 2, message: t } } },
        ],
      },
    }),
    obj('Secret', `sec-${i}`, {
      annotations: { [LAST_APPLIED]: JSON.stringify({ stringData: { v: s.secrets[0] } }) },
      extra: { type: 'Opaque', data: { v: b64(s.secrets[0]!), t: b64(t) }, stringData: { v: s.secrets[0], t } },
    }),
    obj('ConfigMap', `cm-${i}`, {
      annotations: { [LAST_APPLIED]: JSON.stringify({ data: { v: s.secrets[0] } }) },
      extra: { data: { v: s.secrets[0], t } },
    }),
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `repo-${i}.1`, namespace: 'flux-system' },
      involvedObject: { kind: 'GitRepository', name: `repo-${i}`, namespace: 'flux-system' },
      type: 'Warning',
      reason: 'GitOperationFailed',
      message: t,
      count: 2,
      lastTimestamp: '2026-11-24T10:00:00Z',
      source: { component: 'source-controller' },
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `pod-${i}.1`, namespace: 'flux-system' },
      involvedObject: { kind: 'Pod', name: `pod-${i}`, namespace: 'flux-system' },
      type: 'Warning',
      reason: 'Failed',
      message: t,
      lastTimestamp: '2026-11-24T10:00:00Z',
    },
  ];
}

const logLine = (s: Shape, i: number) => ({
  level: 'error',
  ts: '2026-11-24T10:00:00.000Z',
  logger: 'controller',
  msg: `Reconciler error: ${s.text}`,
  controller: 'gitrepository',
  controllerKind: 'GitRepository',
  GitRepository: { name: `repo-${i}`, namespace: 'flux-system' },
  name: `repo-${i}`,
  namespace: 'flux-system',
  reconcileID: `id-${i}`,
  error: s.text,
  url: s.text,
  request: { headers: { detail: s.text } },
  stacktrace: [`at ${s.text}`],
});

// ---------- running things ----------

async function cli(args: string[]): Promise<string> {
  let out = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (out += s) },
    env: {},
  };
  await main(['node', 'fluxdoctor', ...args], io);
  return out;
}

describe('leak corpus: no secret in any output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-leak-'));
  const path = join(dir, 'cluster.yaml');
  const items = SHAPES.flatMap((s, i) => objectsFor(s, i));
  const input = [
    dump({ apiVersion: 'v1', kind: 'List', items }, { lineWidth: -1 }),
    dump({ apiVersion: 'fluxdoctor.io/v1', kind: 'ControllerLogs', lines: SHAPES.map(logLine) }, { lineWidth: -1 }),
  ].join('---\n');
  writeFileSync(path, input);
  const targets = SHAPES.flatMap((_, i) => [
    `gitrepo/repo-${i}`,
    `ks/ks-${i}`,
    `hr/hr-${i}`,
    `deploy/dep-${i}`,
    `pod/pod-${i}`,
  ]);

  it(`the test can fail: ${SHAPES.length} shapes, ${NEEDLES.length} needles, every secret is in the input`, () => {
    assert.ok(SHAPES.length >= 30, `${SHAPES.length} shapes`);
    assert.equal(
      new Set(SHAPES.flatMap((s) => s.secrets)).size,
      SHAPES.flatMap((s) => s.secrets).length,
      'markers are unique',
    );
    for (const s of SHAPES) assert.ok(s.text.includes(s.secrets[0]!), `${s.name}: its secret is in its text`);
    for (const s of SHAPES) assert.ok(input.includes(s.secrets[0]!), s.name);
    // and unmasked, the cluster text would leak every one of them
    assert.equal(
      leaks(SHAPES.map((s) => s.text).join('\n')).length,
      NEEDLES.filter((n) => SHAPES.some((s) => s.text.includes(n.needle))).length,
    );
  });

  it('each shape is masked by redactText alone', () => {
    for (const s of SHAPES) {
      const out = redactText(s.text);
      assert.ok(out.includes('***'), `${s.name}: ${out}`);
      for (const sec of s.secrets) assert.ok(!out.includes(sec), `${s.name} leaks: ${out}`);
    }
  });

  const runs: string[][] = [
    ...['text', 'json', 'yaml', 'markdown'].map((o) => ['diagnose', '-o', o, '-v']),
    ...['table', 'json', 'yaml', 'summary'].map((o) => ['get', '-o', o]),
    ...['table', 'json', 'yaml'].map((o) => ['events', '-o', o]),
    ...['text', 'json', 'yaml'].map((o) => ['logs', '-o', o]),
    ...['text', 'json', 'yaml'].map((o) => ['trace', ...targets, '-o', o]),
    ...['text', 'json', 'yaml'].map((o) => [
      'tree',
      ...SHAPES.map((_, i) => `ks/ks-${i}`),
      ...SHAPES.map((_, i) => `hr/hr-${i}`),
      '-o',
      o,
    ]),
    ...['table', 'json', 'yaml'].map((o) => ['stats', '-o', o]),
    ...['table', 'json', 'yaml'].map((o) => ['check', '--no-probe', '-o', o]),
    ['get', 'gitrepo', 'repo-0', '-o', 'yaml'],
    ['events', '--for', 'gitrepo/repo-0'],
    ['logs', '--for', 'gitrepo/repo-0', '-o', 'json'],
  ];
  for (const args of runs) {
    it(args.filter((a) => !targets.includes(a) && !/^(ks|hr)\//.test(a)).join(' '), async () => {
      const out = await cli([...args, '--snapshot', path]);
      assert.ok(out.length > 100, `produced output: ${out.slice(0, 200)}`);
      assert.deepEqual(leaks(out), []);
    });
  }

  it('the bundle (snapshot -f FILE) and everything read back from it', async () => {
    const bundle = join(dir, 'bundle.yaml');
    const out = await cli(['snapshot', '--snapshot', path, '-f', bundle]);
    assert.deepEqual(leaks(out), []);
    const text = readFileSync(bundle, 'utf8');
    assert.ok(text.length > 10_000);
    assert.deepEqual(leaks(text), []);
    // the plain marker values (no secret look) are gone too: spec.values, substitute, env values
    for (const s of SHAPES) assert.ok(!text.includes(`plain: ${s.secrets[0]}`), s.name);
    for (const args of [['diagnose', '-o', 'json'], ['get', '-o', 'yaml'], ['logs', '-o', 'json'], ['events']]) {
      assert.deepEqual(leaks(await cli([...args, '--snapshot', bundle])), [], args.join(' '));
    }
  });

  describe('every MCP tool, resource and prompt', () => {
    let client: Client;
    before(async () => {
      client = new Client({ name: 'fluxdoctor-leak-test', version: '0.0.0' });
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: ['--import', 'tsx', join(import.meta.dirname, 'mcp-entry.ts'), 'mcp'],
          cwd: join(import.meta.dirname, '..'),
          stderr: 'pipe',
        }),
      );
    });
    after(async () => {
      await client?.close();
    });

    it('tools', async () => {
      const { tools } = await client.listTools();
      const calls: [string, Record<string, unknown>][] = [
        ['diagnose', { snapshot: path }],
        ['diagnose', { snapshot: path, severity: 'error', limit: 500 }],
        ['get_resources', { snapshot: path, limit: 500 }],
        ['get_resources', { snapshot: path, limit: 500, offset: 500 }],
        ['events', { snapshot: path }],
        ['logs', { snapshot: path }],
        ['logs', { snapshot: path, target: 'gitrepo/repo-1' }],
        ['stats', { snapshot: path }],
        ['check', { snapshot: path }],
        ...SHAPES.flatMap((_, i): [string, Record<string, unknown>][] => [
          ['trace', { snapshot: path, target: `gitrepo/repo-${i}` }],
          ['trace', { snapshot: path, target: `pod/pod-${i}` }],
          ['tree', { snapshot: path, target: `ks/ks-${i}` }],
          ['tree', { snapshot: path, target: `hr/hr-${i}` }],
          ['get_object', { snapshot: path, target: `gitrepo/repo-${i}` }],
          ['get_object', { snapshot: path, target: `hr/hr-${i}` }],
          ['get_object', { snapshot: path, target: `pod/pod-${i}` }],
          ['image_why', { snapshot: path, target: `imgpol-${i}`, namespace: 'flux-system', tag: '1.0.0' }],
        ]),
        ['explain_code', { code: 'source.auth' }],
        ['explain_field', { path: 'GitRepository.spec.url' }],
        ['search_docs', { query: 'authentication token password' }],
      ];
      const called = new Set(calls.map(([n]) => n));
      for (const t of tools.map((x) => x.name))
        if (t !== 'list_contexts') assert.ok(called.has(t), `tool ${t} is called`);
      for (const [name, args] of calls) {
        const r = await client.callTool({ name, arguments: args });
        const out = JSON.stringify(r);
        assert.ok(out.length > 50, name);
        assert.notEqual(r.isError, true, `${name} ${JSON.stringify(args).slice(0, 80)}: ${out.slice(0, 300)}`);
        assert.deepEqual(leaks(out), [], `${name} ${JSON.stringify(args).slice(0, 80)}`);
      }
    });

    it('resources and prompts', async () => {
      const { resources } = await client.listResources();
      assert.ok(resources.length > 5);
      for (const r of resources)
        assert.deepEqual(leaks(JSON.stringify(await client.readResource({ uri: r.uri }))), [], r.uri);
      const { prompts } = await client.listPrompts();
      assert.ok(prompts.length > 0);
      for (const p of prompts) {
        const got = await client.getPrompt({ name: p.name, arguments: { name: 'repo-0', namespace: 'flux-system' } });
        assert.deepEqual(leaks(JSON.stringify(got)), [], p.name);
      }
    });
  });
});

// ---------- every pattern is linear ----------

describe('masking is linear on backtracking-prone text', () => {
  const unit = [
    'a:',
    'https://',
    'a',
    'https://a:b',
    'eyJ',
    'eyJa.',
    'password="',
    'password:',
    'key=',
    '-----BEGIN RSA PRIVATE KEY-----',
    'Input string ',
    '-',
    '--password-',
    'a-token: ',
    'Authorization: ',
    'Bearer ',
    'Basic a',
    '?token=',
    'ghp_',
    'AKIA',
    'hooks.slack.com/services/',
    'x:y@',
    '"auth":"',
    ' -p ',
    'xoxb-',
    'AGE-SECRET-KEY-1',
  ];
  for (const u of unit) {
    it(`${JSON.stringify(u)} repeated to 32 KB and 1 MB`, () => {
      for (const size of [32 * 1024, 1024 * 1024]) {
        const text = u.repeat(Math.ceil(size / u.length)).slice(0, size);
        const t0 = performance.now();
        maskText(text); // the patterns themselves, without the length bound
        redactText(text);
        const ms = performance.now() - t0;
        assert.ok(ms < 3000, `${size} bytes took ${ms.toFixed(0)} ms`);
      }
    });
  }

  it(`${PATTERN_COUNT} patterns; a long string is clipped and marked, not lost`, () => {
    assert.ok(PATTERN_COUNT >= 30, `${PATTERN_COUNT} patterns`);
    const out = redactText(`${'x '.repeat(40_000)}ghp_${chars('z', 36)}`);
    assert.ok(/\[clipped \d+ characters\]$/.test(out), 'clipped and marked');
    assert.ok(out.length < 70_000, `${out.length}`);
  });

  it('maskStrings is iterative and bounded: a 200k-deep array and a shared-node bomb', () => {
    let deep: unknown[] = ['password=deepsecret1'];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const t0 = performance.now();
    maskStrings({ deep });
    assert.ok(performance.now() - t0 < 3000);
    // a YAML alias bomb decodes to shared nodes: visited once each
    let bomb: unknown = ['token=bombsecret1'];
    for (let i = 0; i < 60; i++) bomb = [bomb, bomb, bomb];
    const t1 = performance.now();
    maskStrings({ bomb });
    assert.ok(performance.now() - t1 < 3000);
    let n: unknown = bomb;
    for (let i = 0; i < 60; i++) n = (n as unknown[])[0];
    assert.deepEqual(n, ['token=***']);
  });

  it('plain cluster text is unchanged', () => {
    for (const m of [
      "dependency 'flux-system/infra' is not ready",
      "failed to checkout and determine revision: unable to clone 'https://github.com/org/repo': authentication required",
      'secrets "git-creds" not found',
      "Secret 'flux-system/git-creds' not found; no basic auth credentials",
      'Applied revision: main@sha1:0123456789abcdef0123456789abcdef01234567',
      'ssh://git@github.com/org/repo',
      "could not resolve Secret chart values reference 'apps/web-values' with key 'values.yaml'",
      'kustomize.toolkit.fluxcd.io/name',
      'Helm install failed for release apps/web with chart web@1.2.3: context deadline exceeded',
      // kustomize-controller and kubelet messages that rules match (keys in quotes, "authorization:" in prose)
      "decryption failed for 'foo-token': failed to decrypt and format 'default/foo-token' Secret data: error decrypting sops tree",
      'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    ])
      assert.equal(redactText(m), m);
  });
});

// ---------- the bundle ----------

describe('support bundle: keys kept, values dropped, bounded, 0600', () => {
  const snapOf = (docs: object[]) => {
    const b = new SnapshotBuilder();
    b.addText(dump({ apiVersion: 'v1', kind: 'List', items: docs }), 'x.yaml');
    return b.build();
  };

  it('drops spec.values leaves, postBuild.substitute values, env values and last-applied; says so in the header', () => {
    const snap = snapOf([
      obj('HelmRelease', 'web', {
        spec: { values: { replicas: 3, image: { tag: 'plainvalue1' }, list: ['plainvalue2'] } },
      }),
      obj('Kustomization', 'apps', { spec: { postBuild: { substitute: { cluster: 'plainvalue3' } } } }),
      obj('Deployment', 'job', {
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"x":"plainvalue4"}' },
        spec: {
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  containers: [
                    {
                      name: 'c',
                      env: [
                        { name: 'A', value: 'plainvalue5' },
                        { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
                      ],
                    },
                  ],
                  initContainers: [{ name: 'i', env: [{ name: 'C', value: 'plainvalue6' }] }],
                },
              },
            },
          },
        },
      }),
    ]);
    const text = snapshotToYaml(snap);
    for (let i = 1; i <= 6; i++) assert.ok(!text.includes(`plainvalue${i}`), `plainvalue${i}`);
    assert.match(text, /^# Removed from this file:/m);
    assert.match(text, /removed:/);
    for (const key of ['replicas:', 'tag:', 'cluster:', 'name: A', 'secretKeyRef:', 'name: C'])
      assert.ok(text.includes(key), key);
    assert.ok(text.includes(`'${REMOVED_VALUE}'`) || text.includes(REMOVED_VALUE));
    // and it reads back
    const back = new SnapshotBuilder();
    back.addText(text, 'bundle.yaml');
    const s = back.build();
    assert.equal(s.objects.length, 3);
    assert.ok(s.info.removed && s.info.removed.length > 3);
  });

  it('a value bomb does not grow the writer without limit', () => {
    let bomb: unknown = 'v';
    for (let i = 0; i < 40; i++) bomb = [bomb, bomb, bomb, bomb];
    const snap = snapOf([]);
    snap.objects.push(obj('HelmRelease', 'bomb', { spec: { values: { bomb } } }));
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    snap.objects.push(obj('HelmRelease', 'deep', { spec: { values: { deep } } }));
    const t0 = performance.now();
    const text = snapshotToYaml(snap);
    assert.ok(performance.now() - t0 < 5000);
    assert.ok(text.length < 20_000_000, `${text.length}`);
    assert.match(text, /HelmRelease flux-system\/bomb/);
    assert.match(text, /HelmRelease flux-system\/deep/);
    assert.equal(boundedCopy(deep).cut, true);
  });

  it('snapshot -f writes 0600, also over an existing 0644 file, and reads back to the same findings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-bundle-'));
    const file = join(dir, 'bundle.yaml');
    writeFileSync(file, 'old');
    chmodSync(file, 0o644);
    await cli(['snapshot', '--snapshot', 'examples/multi-hop', '-f', file]);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const a = JSON.parse(await cli(['diagnose', '--snapshot', 'examples/multi-hop', '-o', 'json']));
    const b = JSON.parse(await cli(['diagnose', '--snapshot', file, '-o', 'json']));
    assert.ok(a.findings.length > 0);
    assert.deepEqual(b.findings, a.findings);
  });
});
