// The support bundle (snapshot -f FILE) shows nothing hidden: a document holding an invisible or
// control character is written as JSON with the character escaped, and reads back to the same strings.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readSnapshotFiles } from '../src/read/files.js';
import { snapshotToYaml } from '../src/read/write.js';

const HIDDEN = ['\u200b', '\u202e', '\u2066', '\u2028', '\u2029', '\ufeff', '\u0085', '\u001b', '\u0007'];
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/u;

describe('snapshot bundle: invisible characters', () => {
  for (const ch of HIDDEN) {
    const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    it(`${code} in a name, a label key and a message is escaped and round-trips`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'fd-bundle-text-'));
      const obj = {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: `apps${ch}x`, namespace: 'flux-system', labels: { [`team${ch}`]: `a${ch}b` } },
        spec: { url: 'https://example.com/repo', interval: '1m' },
        status: { conditions: [{ type: 'Ready', status: 'False', reason: 'GitOperationFailed', message: `m${ch}n` }] },
      };
      writeFileSync(join(dir, 'in.json'), JSON.stringify(obj));
      const snap = readSnapshotFiles({ snapshots: [join(dir, 'in.json')] });
      const text = snapshotToYaml(snap);
      assert.doesNotMatch(text, FORBIDDEN);
      writeFileSync(join(dir, 'bundle.yaml'), text);
      const back = readSnapshotFiles({ snapshots: [join(dir, 'bundle.yaml')] });
      assert.deepEqual(back.problems, []);
      assert.deepEqual(back.objects[0]!.metadata, snap.objects[0]!.metadata);
      assert.deepEqual(back.objects[0]!.status, snap.objects[0]!.status);
    });
  }
  it('a bundle without such characters stays YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-bundle-text-'));
    writeFileSync(
      join(dir, 'in.yaml'),
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: apps, namespace: flux-system}\nspec: {url: "https://example.com/r", interval: 1m}\n',
    );
    const text = snapshotToYaml(readSnapshotFiles({ snapshots: [join(dir, 'in.yaml')] }));
    assert.match(text, /^kind: List$/m);
  });
});
