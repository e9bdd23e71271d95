// The snapshot reader: every input form people have, and bad input that must not lose the rest.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { health } from '../src/kinds/status.js';
import { readSnapshotFiles } from '../src/read/files.js';
import { decodeText } from '../src/read/parse.js';
import { SnapshotBuilder } from '../src/read/snapshot.js';
import { obj, READY, status } from './helpers.js';

const gitRepo = (name: string) =>
  obj('GitRepository', name, { spec: { url: 'https://example.com/x' }, status: READY() });

function fromText(text: string) {
  const b = new SnapshotBuilder();
  b.addText(text, 'input.yaml');
  return b.build();
}

/** What `kubectl get ... -A -o yaml` prints. */
function kubectlYaml(items: object[]): string {
  return stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } });
}

describe('reader: input forms', () => {
  it('reads a kubectl -o yaml List', () => {
    const s = fromText(kubectlYaml([gitRepo('a'), gitRepo('b')]));
    assert.deepEqual(
      s.objects.map((o) => o.metadata.name),
      ['a', 'b'],
    );
    assert.deepEqual(s.problems, []);
  });

  it('reads a large kubectl -o yaml List item by item (fast path) with identical results', () => {
    const items = Array.from({ length: 400 }, (_, i) =>
      obj('Kustomization', `ks-${i}`, {
        spec: {
          path: './apps',
          sourceRef: { kind: 'GitRepository', name: 'repo' },
          postBuild: { substitute: { a: 'x: y\n---\nz' } },
        },
        status: status(['False', 'BuildFailed', `line one\nline two: ${i}`]),
      }),
    );
    const text = kubectlYaml(items);
    assert.ok(text.length > 64 * 1024, 'large enough for the fast path');
    const s = fromText(text);
    assert.equal(s.objects.length, 400);
    assert.deepEqual(s.objects[123], items[123]);
    // Indented sequence style (`items:\n  - apiVersion`) too.
    const indented = text.replace(/^(- | {2})/gm, (m) => `  ${m}`).replace(/^ {2}items:/m, 'items:');
    const s2 = fromText(indented.replace(/^ {2}(apiVersion: v1|kind: List|metadata:)/gm, '$1'));
    assert.equal(s2.objects.length, 400);
  });

  it('reads kubectl -o json (List), a single object, and a JSON array', () => {
    assert.equal(fromText(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [gitRepo('a')] })).objects.length, 1);
    assert.equal(fromText(JSON.stringify(gitRepo('a'))).objects.length, 1);
    assert.equal(fromText(JSON.stringify([gitRepo('a'), gitRepo('b')])).objects.length, 2);
  });

  it('fills kind/apiVersion of typed API lists (GitRepositoryList items carry neither)', () => {
    const { kind: _k, apiVersion: _a, ...bare } = gitRepo('a');
    const s = fromText(
      JSON.stringify({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepositoryList', items: [bare] }),
    );
    assert.equal(s.objects[0]!.kind, 'GitRepository');
    assert.equal(s.objects[0]!.apiVersion, 'source.toolkit.fluxcd.io/v1');
  });

  it('reads multi-document YAML streams, with comments and document end markers', () => {
    const text = `# leading comment\n---\n${stringify(gitRepo('a'))}...\n---\n${stringify(gitRepo('b'))}---\n# only a comment\n`;
    const s = fromText(text);
    assert.deepEqual(
      s.objects.map((o) => o.metadata.name),
      ['a', 'b'],
    );
    assert.deepEqual(s.problems, []);
  });

  it('reads directories recursively and stdin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-read-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.yaml'), stringify(gitRepo('a')));
    writeFileSync(join(dir, 'sub', 'b.json'), JSON.stringify(gitRepo('b')));
    writeFileSync(join(dir, 'notes.txt'), 'not yaml');
    const s = readSnapshotFiles({ snapshots: [dir, '-'], stdin: () => stringify(gitRepo('c')) });
    assert.deepEqual(s.objects.map((o) => o.metadata.name).sort(), ['a', 'b', 'c']);
  });

  it('reads controller logs as JSON lines, with kubectl --prefix and non-JSON lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-logs-'));
    const line = {
      level: 'error',
      ts: '2026-11-24T10:00:00.000Z',
      msg: 'Reconciler error',
      controller: 'gitrepository',
      controllerGroup: 'source.toolkit.fluxcd.io',
      controllerKind: 'GitRepository',
      GitRepository: { name: 'apps', namespace: 'flux-system' },
      namespace: 'flux-system',
      name: 'apps',
      reconcileID: 'a1',
      error: 'authentication required',
    };
    writeFileSync(
      join(dir, 'source-controller.log'),
      `${JSON.stringify(line)}\n[pod/source-controller-1/manager] ${JSON.stringify({ ...line, reconcileID: 'a2' })}\nplain text line\n`,
    );
    const s = readSnapshotFiles({ snapshots: [], logs: [dir] });
    assert.equal(s.logs.length, 2);
    assert.equal(s.logs[0]!.error, 'authentication required');
    assert.ok(s.problems.some((p) => /1 log lines were not JSON/.test(p.message) && !p.partial));
  });

  it('normalises core/v1 and events.k8s.io/v1 events', () => {
    const s = fromText(
      stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Event',
            metadata: { name: 'e1', namespace: 'flux-system' },
            involvedObject: { kind: 'GitRepository', name: 'apps', namespace: 'flux-system' },
            reason: 'GitOperationFailed',
            message: 'failed',
            type: 'Warning',
            count: 3,
            lastTimestamp: '2026-11-24T10:00:00Z',
          },
          {
            apiVersion: 'events.k8s.io/v1',
            kind: 'Event',
            metadata: { name: 'e2', namespace: 'apps' },
            regarding: { kind: 'Pod', name: 'web-1', namespace: 'apps' },
            reason: 'BackOff',
            note: 'Back-off pulling image "nginx:nope"',
            type: 'Warning',
            series: { count: 7, lastObservedTime: '2026-11-24T10:01:00Z' },
          },
        ],
      }),
    );
    assert.equal(s.events.length, 2);
    assert.equal(s.events[0]!.count, 3);
    assert.deepEqual(s.events[1]!.involved, { kind: 'Pod', name: 'web-1', namespace: 'apps' });
    assert.equal(s.events[1]!.message, 'Back-off pulling image "nginx:nope"');
    assert.equal(s.events[1]!.count, 7);
  });

  it('reads an unknown API version of a known kind, and says so without marking the report partial', () => {
    const s = fromText(stringify({ ...gitRepo('a'), apiVersion: 'source.toolkit.fluxcd.io/v9' }));
    assert.equal(s.objects.length, 1);
    assert.equal(s.problems.length, 1);
    assert.match(
      s.problems[0]!.message,
      /GitRepository flux-system\/a uses source.toolkit.fluxcd.io\/v9, an API version fluxdoctor does not know/,
    );
    assert.equal(s.problems[0]!.partial, false);
  });

  it('counts and ignores unknown kinds', () => {
    const s = fromText(
      kubectlYaml([gitRepo('a'), { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]),
    );
    assert.equal(s.objects.length, 1);
    assert.deepEqual(s.unknownKinds, { 'example.com/v1 Widget': 1 });
  });
});

describe('reader: bad input', () => {
  it('malformed YAML names the file and line, and the rest is still read', () => {
    const text = `${stringify(gitRepo('a'))}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n  labels: {a: b\n---\n${stringify(gitRepo('c'))}`;
    const s = fromText(text);
    assert.deepEqual(
      s.objects.map((o) => o.metadata.name),
      ['a', 'c'],
    );
    assert.equal(s.problems.length, 1);
    assert.equal(s.problems[0]!.source, 'input.yaml');
    assert.ok((s.problems[0]!.line ?? 0) >= 18 && (s.problems[0]!.line ?? 0) <= 26, `line ${s.problems[0]!.line}`);
    assert.match(s.problems[0]!.message, /invalid YAML/);
    assert.equal(s.problems[0]!.partial, true);
  });

  it('a broken item in a large List loses only that item', () => {
    const items = Array.from({ length: 300 }, (_, i) => gitRepo(`r${i}`));
    const text = kubectlYaml(items).replace('name: r7\n', 'name: [r7\n');
    const s = fromText(text);
    assert.equal(s.objects.length, 299);
    assert.equal(s.problems.length, 1);
    assert.ok(s.problems[0]!.line! > 1);
  });

  it('invalid JSON is reported with its line', () => {
    const r = decodeText('{\n "apiVersion": "v1",\n "kind": \n}', 'x.json');
    assert.equal(r.docs.length, 0);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!.message, /invalid JSON/);
  });

  it('an empty file is a note, not a failure', () => {
    const s = fromText('   \n\n');
    assert.equal(s.objects.length, 0);
    assert.equal(s.problems.length, 1);
    assert.equal(s.problems[0]!.partial, false);
  });

  it('binary garbage is skipped with a clear problem', () => {
    const b = new SnapshotBuilder();
    b.addBuffer(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff, 0xfe]), 'image.png.yaml');
    const s = b.build();
    assert.equal(s.objects.length, 0);
    assert.match(s.problems[0]!.message, /binary/);
  });

  it('objects without status, without metadata.name, and documents without kind', () => {
    const s = fromText(
      [
        stringify({
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: 'nostatus', namespace: 'x' },
        }),
        stringify({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: {} }),
        stringify({ foo: 'bar' }),
        'just a string',
      ].join('---\n'),
    );
    assert.equal(s.objects.length, 1);
    assert.equal(health(s.objects[0]!).state, 'Unknown');
    assert.equal(s.problems.length, 3);
  });

  it('clips a 1 MB condition message to 64 KiB and says so (masking is bounded)', () => {
    const big = 'x'.repeat(1024 * 1024);
    const s = fromText(
      stringify(obj('GitRepository', 'big', { status: status(['False', 'GitOperationFailed', big]) })),
    );
    const m: string = s.objects[0]!.status.conditions[0].message;
    assert.ok(m.startsWith('x'.repeat(60_000)));
    assert.ok(m.length < 70_000, `${m.length}`);
    assert.match(m, /\[clipped \d+ characters\]$/);
  });

  it('a file that does not exist is an input error', () => {
    assert.throws(() => readSnapshotFiles({ snapshots: ['/nonexistent/file.yaml'] }), /no such file or directory/);
  });
});

describe('reader: Secrets', () => {
  it('drops data, stringData and last-applied-configuration, keeps key names', () => {
    const s = fromText(
      stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'git-creds',
          namespace: 'flux-system',
          annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}' },
        },
        data: { username: 'Z2l0', password: 'aHVudGVyMg==' },
        stringData: { token: 'hunter2' },
      }),
    );
    const sec = s.objects[0]!;
    assert.equal(sec.data, undefined);
    assert.equal(sec.stringData, undefined);
    assert.deepEqual(sec.dataKeys, ['password', 'token', 'username']);
    assert.doesNotMatch(JSON.stringify(s), /aHVudGVyMg|hunter2|Z2l0/);
  });
});

describe('snapshots of different clusters', () => {
  const info = (server: string, context: string) =>
    `apiVersion: fluxdoctor.io/v1\nkind: SnapshotInfo\ninfo: {server: "${server}", context: ${context}}\n---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: r-${context}, namespace: flux-system}\nspec: {url: "https://example.com/r", interval: 1m}\n`;
  it('merging two clusters is said; two captures of one cluster are not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-two-clusters-'));
    writeFileSync(join(dir, 'a.yaml'), info('https://prod.example.com:6443', 'prod'));
    writeFileSync(join(dir, 'b.yaml'), info('https://staging.example.com:6443', 'staging'));
    writeFileSync(join(dir, 'c.yaml'), info('https://prod.example.com:6443', 'prod2'));
    const two = readSnapshotFiles({ snapshots: [join(dir, 'a.yaml'), join(dir, 'b.yaml')] });
    assert.equal(two.objects.length, 2);
    assert.ok(
      two.problems.some((p) =>
        /captured from another cluster \(https:\/\/staging\.example\.com:6443\)/.test(p.message),
      ),
      JSON.stringify(two.problems),
    );
    const one = readSnapshotFiles({ snapshots: [join(dir, 'a.yaml'), join(dir, 'c.yaml')] });
    assert.deepEqual(one.problems, []);
  });
});
