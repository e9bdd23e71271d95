// Marker forms from image-automation-controller v1.2.3 docs/spec/v1/imageupdateautomations.md
// (`# {"$imagepolicy": "flux-system:my-policy"}`, `:name`, `:tag`, `:digest`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findMarkers, screened, setterValue } from '../../src/views/image-markers.js';

const deploy = `spec:
  containers:
    - name: app
      image: ghcr.io/my-org/my-app:4.0.6 # {"$imagepolicy": "flux-system:my-policy"}
  values:
    repository: ghcr.io/my-org/my-app # {"$imagepolicy": "flux-system:my-policy:name"}
    tag: "4.0.6" # {"$imagepolicy": "flux-system:my-policy:tag"}
    digest: sha256:abc #{"$imagepolicy":"flux-system:my-policy:digest"}
    other: x # {"$imagepolicy": "no-namespace"}
    note: y # {"$imagepolicy": "a:b"} trailing text
`;

test('every marker form is found with its line, setter and current value', () => {
  const ms = findMarkers('app/deploy.yaml', deploy);
  assert.deepEqual(
    ms.map((m) => [m.line, m.namespace, m.policy, m.field, m.current]),
    [
      [4, 'flux-system', 'my-policy', 'image', 'ghcr.io/my-org/my-app:4.0.6'],
      [6, 'flux-system', 'my-policy', 'name', 'ghcr.io/my-org/my-app'],
      [7, 'flux-system', 'my-policy', 'tag', '4.0.6'],
      [8, 'flux-system', 'my-policy', 'digest', 'sha256:abc'],
      [9, undefined, undefined, undefined, 'x'],
    ],
  );
});

test('screening: only yaml/yml/Kustomization files holding the quoted token', () => {
  assert.equal(screened('a/b.yaml', 'x: 1 # {"$imagepolicy": "a:b"}'), true);
  assert.equal(screened('a/Kustomization', '"$imagepolicy"'), true);
  assert.equal(screened('a/b.json', '"$imagepolicy"'), false);
  assert.equal(screened('a/b.yaml', 'x: 1 # $imagepolicy'), false);
});

test('setter values follow ImageRef.String and the field setters', () => {
  const r = { name: 'reg/app', tag: '1.2.0', digest: 'sha256:d' };
  assert.equal(setterValue(r, 'image'), 'reg/app:1.2.0@sha256:d');
  assert.equal(setterValue({ name: 'reg/app', tag: '1.2.0' }, 'image'), 'reg/app:1.2.0');
  assert.equal(setterValue(r, 'tag'), '1.2.0');
  assert.equal(setterValue(r, 'name'), 'reg/app');
});

test('hostile file names and values are cleaned', () => {
  const ms = findMarkers('a\x1b[2J.yaml', 'image: x\x1b]0;t\x07y # {"$imagepolicy": "n:p"}');
  assert.equal(ms.length, 1);
  assert.ok(!ms[0]!.file.includes('\x1b'));
  assert.ok(!ms[0]!.current.includes('\x1b'));
});
