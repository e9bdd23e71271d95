import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { ViewError } from '../../src/views/common.js';
import { MAX_OBJECT_YAML, objectView, shownObject } from '../../src/views/object.js';
import { graphOf, obj, READY, secret } from '../helpers.js';

const SECRET_VALUE = 'c3VwZXItc2VjcmV0LXBhc3N3b3Jk'; // base64 "super-secret-password"

function docs() {
  const hr = obj('HelmRelease', 'apps/podinfo', {
    spec: {
      interval: '10m',
      chart: { spec: { chart: 'podinfo', version: '6.x', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } },
      values: { replicaCount: 2, image: { tag: '6.5.0' } },
    },
    status: READY('Helm install succeeded'),
  });
  hr.metadata.managedFields = [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:spec': {} } }];
  const s = secret('apps/git-creds', ['username', 'password']);
  s.data = { username: SECRET_VALUE, password: SECRET_VALUE };
  s.metadata.annotations = {
    'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"password":"${SECRET_VALUE}"}}`,
  };
  const ks = obj('Kustomization', 'flux-system/apps', {
    spec: { path: './apps/prod', sourceRef: { kind: 'GitRepository', name: 'fleet' }, interval: '5m' },
    status: READY(),
  });
  const ks2 = obj('Kustomization', 'team/apps', { spec: { path: './team' }, status: READY() });
  return [hr, s, ks, ks2];
}

describe('views/object (get_object)', () => {
  it('returns spec and status as YAML, without managedFields', () => {
    const v = objectView(graphOf(docs()), 'hr/podinfo', undefined, { values: true });
    assert.deepEqual(v.object, { kind: 'HelmRelease', namespace: 'apps', name: 'podinfo' });
    assert.equal(v.truncated, false);
    // biome-ignore lint/suspicious/noExplicitAny: loose
    const o = yaml.load(v.yaml) as Record<string, any>;
    assert.deepEqual(o.spec.values, { replicaCount: 2, image: { tag: '6.5.0' } });
    assert.equal(o.spec.chart.spec.version, '6.x');
    assert.equal(o.status.conditions[0].type, 'Ready');
    assert.equal(o.metadata.managedFields, undefined);
    assert.doesNotMatch(v.yaml, /managedFields|f:spec/);
    assert.equal(v.health.state, 'Ready');
  });

  it('spec.values leaves are removed (keys kept) unless values are asked for', () => {
    const v = objectView(graphOf(docs()), 'hr/podinfo');
    // biome-ignore lint/suspicious/noExplicitAny: loose
    const o = yaml.load(v.yaml) as Record<string, any>;
    assert.deepEqual(o.spec.values, { replicaCount: '<removed>', image: { tag: '<removed>' } });
    assert.equal(o.spec.chart.spec.version, '6.x', 'the rest of spec is there');
  });

  it('a Secret read from a snapshot carries no value: key names only (removed at read time)', () => {
    const v = objectView(graphOf(docs()), 'secret/apps/git-creds');
    assert.doesNotMatch(v.yaml, new RegExp(SECRET_VALUE));
    assert.doesNotMatch(v.yaml, /last-applied-configuration/);
    // biome-ignore lint/suspicious/noExplicitAny: loose
    const o = yaml.load(v.yaml) as Record<string, any>;
    assert.equal(o.data, undefined);
    assert.deepEqual(o.dataKeys, ['password', 'username']);
  });

  it('shownObject removes values again for an object that did not pass through normalize', () => {
    const raw = docs()[1]!;
    assert.equal(raw.data!.password, SECRET_VALUE, 'the raw fixture holds the value');
    const shown = yaml.dump(shownObject(raw));
    assert.doesNotMatch(shown, new RegExp(SECRET_VALUE));
    const cm = obj('ConfigMap', 'apps/settings', { extra: { data: { token: 'plain-text-token' } } });
    assert.doesNotMatch(yaml.dump(shownObject(cm)), /plain-text-token/);
    assert.deepEqual(shownObject(cm).dataKeys, ['token']);
  });

  it('finds the object by target with the one parser: KIND/NS/NAME, namespace, ambiguity, absence', () => {
    const g = graphOf(docs());
    assert.match(objectView(g, 'ks/flux-system/apps').yaml, /path: \.\/apps\/prod/);
    assert.match(objectView(g, 'kustomization/apps', 'team').yaml, /path: \.\/team/);
    assert.throws(
      () => objectView(g, 'ks/apps'),
      (e: Error) => e instanceof ViewError && /flux-system.*team|team.*flux-system/.test(e.message),
    );
    assert.throws(() => objectView(g, 'hr/nope'), ViewError);
    assert.throws(() => objectView(g, 'hr/apps/nope'), /no HelmRelease named nope in namespace apps/);
  });

  it('cuts a huge object and says how big it is', () => {
    // Many values under the read-time clip of one string (64 KiB), together twice the YAML limit.
    const values = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`blob${i}`, 'x'.repeat(Math.ceil(MAX_OBJECT_YAML / 4))]),
    );
    const big = obj('HelmRelease', 'apps/big', { spec: { values } });
    const v = objectView(graphOf([big]), 'hr/apps/big', undefined, { values: true });
    assert.equal(v.truncated, true);
    assert.ok(v.size > MAX_OBJECT_YAML * 2);
    assert.ok(v.yaml.length < MAX_OBJECT_YAML + 200);
  });
});
