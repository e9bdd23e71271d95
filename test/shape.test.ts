// Type-safe ingestion (issue 8, src/read/shape.ts): a wrongly typed field becomes a problem naming
// the object and the field, the report is partial, and the run goes on.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { diagnose } from '../src/diagnose/engine.js';
import { Graph } from '../src/graph/graph.js';
import { fluxApi, preferredVersion } from '../src/kb/flux-api.js';
import { schemaFor } from '../src/read/shape.js';
import { SnapshotBuilder } from '../src/read/snapshot.js';
import { renderText } from '../src/render/report.js';

function read(text: string) {
  const b = new SnapshotBuilder();
  b.addText(text, 'in.yaml');
  return b.build();
}

const HR = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: redis, namespace: apps, labels: {team: 7}}
spec:
  interval: 5m
  dependsOn: "infra"
  chart: {spec: {chart: redis, sourceRef: {kind: HelmRepository, name: bitnami}}}
status:
  conditions: "Ready=False"
`;

describe('shape: wrongly typed fields', () => {
  it('names the object and the field, drops it, marks the report partial and still reports', () => {
    const s = read(HR);
    const msgs = s.problems.map((p) => p.message);
    assert.ok(
      msgs.includes('HelmRelease apps/redis: status.conditions is a string, expected a list; ignored'),
      msgs.join('\n'),
    );
    assert.ok(msgs.includes('HelmRelease apps/redis: spec.dependsOn is a string, expected a list; ignored'));
    assert.ok(
      msgs.includes('HelmRelease apps/redis: metadata.labels.team is a number, expected a string; read as text'),
    );
    assert.ok(s.problems.every((p) => p.partial));
    const o = s.objects[0]!;
    assert.equal(o.status.conditions, undefined);
    assert.equal(o.spec.dependsOn, undefined);
    assert.equal(o.metadata.labels?.team, '7');
    const r = diagnose(new Graph(s));
    assert.equal(r.partial, true);
    assert.match(renderText(r, { color: false }), /status\.conditions is a string/);
  });

  it('drops bad list entries, not the list: containerStatuses entries, null ownerReferences, events', () => {
    const s = read(`apiVersion: v1
kind: Pod
metadata: {name: p, namespace: apps, ownerReferences: [null, {kind: ReplicaSet, name: rs, uid: u}]}
status: {containerStatuses: [7, {name: app, restartCount: 3, state: {waiting: {reason: CrashLoopBackOff}}}], initContainerStatuses: {a: 1}}
---
apiVersion: v1
kind: Event
metadata: {name: e, namespace: apps}
involvedObject: {kind: Pod, name: p}
reason: BackOff
message: 42
`);
    const pod = s.objects[0]!;
    assert.equal(pod.status.containerStatuses.length, 1);
    assert.equal(pod.status.containerStatuses[0].name, 'app');
    assert.equal(pod.status.initContainerStatuses, undefined);
    assert.equal(pod.metadata.ownerReferences?.length, 1);
    assert.equal(s.events[0]!.message, '42');
    const msgs = s.problems.map((p) => p.message).join('\n');
    assert.match(msgs, /Pod apps\/p: status\.containerStatuses\[0\] is a number, expected an object; entry ignored/);
    assert.match(msgs, /Pod apps\/p: status\.initContainerStatuses is an object, expected a list; ignored/);
    assert.match(msgs, /Event apps\/e: message is a number, expected a string; read as text/);
  });

  it('bad snapshot info and log fields are problems, not crashes', () => {
    const b = new SnapshotBuilder();
    b.addText(
      JSON.stringify({
        apiVersion: 'fluxdoctor.io/v1',
        kind: 'SnapshotInfo',
        info: { capturedAt: 'soon', kindsRead: 3, readErrors: [null] },
      }),
      'snap.json',
    );
    b.addLogText(`${JSON.stringify({ level: 'error', ts: 1e300, msg: 'x', name: { a: 1 } })}\n`, 'c.log');
    const s = b.build();
    const msgs = s.problems.map((p) => p.message).join('\n');
    assert.match(msgs, /snapshot info: kindsRead is a number, expected a list; ignored/);
    assert.match(msgs, /snapshot info: capturedAt is not a valid time; ignored/);
    assert.match(msgs, /log line: name is an object, expected a string; ignored/);
    assert.equal(s.logs[0]!.ts, undefined);
    diagnose(new Graph(s));
  });

  it('valid objects produce no problem (no false partial report)', () => {
    const s = read(
      HR.replace('dependsOn: "infra"', 'dependsOn: [{name: infra}]')
        .replace('conditions: "Ready=False"', 'conditions: []')
        .replace('team: 7', 'team: "7"'),
    );
    assert.deepEqual(s.problems, []);
  });
});

// The schemas must agree with the Flux CRDs, or real objects would be reported as wrongly typed.
describe('shape: schemas agree with the Flux CRDs', () => {
  const expectType = (schema: z.ZodTypeAny): string => {
    let s = schema;
    while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
    if (s instanceof z.ZodString) return 'string';
    if (s instanceof z.ZodNumber) return 'integer';
    if (s instanceof z.ZodBoolean) return 'boolean';
    if (s instanceof z.ZodArray) return 'array';
    if (s instanceof z.ZodRecord) return 'map';
    if (s instanceof z.ZodObject) return 'object';
    return 'other';
  };
  const crdType = (t: string): string =>
    t.startsWith('[]') ? 'array' : t.startsWith('map[') ? 'map' : t.startsWith('string') ? 'string' : t;
  const unwrapObj = (s: z.ZodTypeAny): z.ZodTypeAny => {
    let x = s;
    while (x instanceof z.ZodOptional || x instanceof z.ZodNullable) x = x.unwrap();
    if (x instanceof z.ZodArray) return unwrapObj(x.element);
    return x;
  };
  // biome-ignore lint/suspicious/noExplicitAny: the generated API reference is loosely typed
  const compare = (schema: z.ZodTypeAny, fields: Record<string, any> | undefined, at: string, out: string[]) => {
    const s = unwrapObj(schema);
    if (!(s instanceof z.ZodObject) || !fields) return;
    for (const [k, f] of Object.entries(s.shape as Record<string, z.ZodTypeAny>)) {
      const crd = fields[k];
      if (!crd || crd.type === 'any') continue;
      const want = crdType(crd.type);
      const have = expectType(f);
      const ok = have === want || (have === 'object' && want === 'map') || (have === 'map' && want === 'object');
      if (!ok) out.push(`${at}.${k}: schema ${have}, CRD ${crd.type}`);
      compare(f, crd.fields, `${at}.${k}`, out);
    }
  };
  it('every checked spec and status field has the CRD type in every Flux kind', () => {
    const out: string[] = [];
    let checked = 0;
    for (const k of fluxApi().kinds) {
      const v = k.versions[preferredVersion(k)];
      if (!v) continue;
      const schema = unwrapObj(schemaFor(k.kind)) as z.ZodObject<z.ZodRawShape>;
      for (const part of ['spec', 'status'] as const) {
        const sch = schema.shape[part];
        if (sch && v[part]) {
          checked++;
          compare(sch, v[part].fields, `${k.kind}.${part}`, out);
        }
      }
    }
    assert.ok(checked > 10, `${checked} kinds compared`);
    assert.deepEqual(out, []);
  });
});
