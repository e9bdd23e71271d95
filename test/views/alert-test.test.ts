// alert test: each filter of notification-controller's event server (v1.9.2
// internal/server/event_handlers.go filterAlertsForEvent, eventMatchesAlertSource, messageIsIncluded,
// messageIsExcluded, getNotificationParams) over Kubernetes Events with the messages the controllers
// really write (kustomize-controller v1.9.3 "kustomization path not found: …" with reason
// ArtifactFailed, source-controller v1.9.3 "stored artifact for commit '…'" with reason NewArtifact
// and the trace event "artifact up-to-date with remote revision: '…'" with reason ArtifactUpToDate,
// all as captured in test/fixtures/real/provider-unreachable), plus the Provider check.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertTestView } from '../../src/core/views.js';
import { event, graphOf, obj, secret } from '../helpers.js';

const NS = 'apps';
const KS = { kind: 'Kustomization', namespace: NS, name: 'app' };
const GIT = { kind: 'GitRepository', namespace: NS, name: 'repo' };
const PATH_MSG = 'kustomization path not found: stat /tmp/kustomization-2973178018/missing: no such file or directory';
const STORED = "stored artifact for commit 'fluxdoctor testenv commit'";
const UP_TO_DATE = "artifact up-to-date with remote revision: 'main@sha1:50cf318b417798e532b2184d10ed4373922ff2a3'";

const provider = (spec: Record<string, unknown> = { type: 'generic', address: 'http://hooks.example.com/flux/abc' }) =>
  obj('Provider', `${NS}/webhook`, { spec });
const alert = (spec: Record<string, unknown>) =>
  obj('Alert', `${NS}/ops`, { spec: { providerRef: { name: 'webhook' }, ...spec } });
const EVENTS = [
  event(KS, 'ArtifactFailed', PATH_MSG, 'Warning', '2026-11-24T10:00:02Z'),
  event(GIT, 'NewArtifact', STORED, 'Normal', '2026-11-24T10:00:01Z'),
];

function run(alertSpec: Record<string, unknown>, more: object[] = [], events: object[] = EVENTS) {
  const g = graphOf([
    provider(),
    alert(alertSpec),
    obj('Kustomization', `${NS}/app`, { labels: { team: 'a' } }),
    obj('GitRepository', `${NS}/repo`),
    ...(more as never[]),
    ...(events as never[]),
  ]);
  return alertTestView(g, 'ops', NS);
}
const stepOf = (t: ReturnType<typeof run>, kind: string) => t.events.find((e) => e.object.kind === kind)?.step;

describe('alert test: the event server filters', () => {
  it('wildcard sources with eventSeverity info forward every event', () => {
    const t = run({
      eventSources: [
        { kind: 'Kustomization', name: '*' },
        { kind: 'GitRepository', name: '*' },
      ],
    });
    assert.equal(t.forwarded, 2);
    assert.equal(t.sources[0]!.namespace, NS, 'namespace defaults to the Alert namespace');
    assert.equal(t.sources[0]!.defaulted, true);
    assert.equal(t.severityDefaulted, true);
  });

  it('eventSeverity error drops the Normal (info) event and says so', () => {
    const t = run({
      eventSeverity: 'error',
      eventSources: [
        { kind: 'Kustomization', name: '*' },
        { kind: 'GitRepository', name: '*' },
      ],
    });
    assert.equal(stepOf(t, 'Kustomization'), 'forwarded');
    assert.equal(stepOf(t, 'GitRepository'), 'severity');
    assert.match(t.events.find((e) => e.step === 'severity')!.detail, /eventSeverity is error; this event is info/);
  });

  it('a source in another namespace, or naming another object, does not match', () => {
    const other = run({ eventSources: [{ kind: 'Kustomization', name: '*', namespace: 'prod' }] });
    assert.equal(stepOf(other, 'Kustomization'), 'no-source');
    const named = run({ eventSources: [{ kind: 'Kustomization', name: 'infra' }] });
    assert.equal(stepOf(named, 'Kustomization'), 'name');
    assert.match(named.events[0]!.detail, /names infra, not app/);
  });

  it('matchLabels are checked against the object', () => {
    const hit = run({ eventSources: [{ kind: 'Kustomization', name: '*', matchLabels: { team: 'a' } }] });
    assert.equal(stepOf(hit, 'Kustomization'), 'forwarded');
    const miss = run({ eventSources: [{ kind: 'Kustomization', name: '*', matchLabels: { team: 'b' } }] });
    assert.equal(stepOf(miss, 'Kustomization'), 'labels');
    assert.match(miss.events[0]!.detail, /team=b/);
  });

  it('inclusionList and exclusionList are Go regexes on the message (unanchored)', () => {
    const src = [
      { kind: 'Kustomization', name: '*' },
      { kind: 'GitRepository', name: '*' },
    ];
    const inc = run({ eventSources: src, inclusionList: ['path not found'] });
    assert.equal(stepOf(inc, 'Kustomization'), 'forwarded');
    assert.equal(stepOf(inc, 'GitRepository'), 'not-included');
    const exc = run({ eventSources: src, exclusionList: ['^stored artifact'] });
    assert.equal(stepOf(exc, 'GitRepository'), 'excluded');
    assert.match(exc.events.find((e) => e.step === 'excluded')!.detail, /\^stored artifact/);
    assert.equal(stepOf(exc, 'Kustomization'), 'forwarded');
  });

  it('a suspended Alert or Provider drops everything', () => {
    const s = run({ suspend: true, eventSources: [{ kind: 'Kustomization', name: '*' }] });
    assert.equal(stepOf(s, 'Kustomization'), 'alert-suspended');
    const g = graphOf([
      provider({ type: 'slack', address: 'https://hooks.slack.com/services/T/B/X', suspend: true }),
      alert({ eventSources: [{ kind: 'Kustomization', name: '*' }] }),
      ...(EVENTS as never[]),
    ]);
    const p = alertTestView(g, 'ops', NS);
    assert.equal(p.events[0]!.step, 'provider-suspended');
    assert.equal(p.provider.address.host, 'hooks.slack.com', 'only the host of a spec address');
    assert.ok(!JSON.stringify(p).includes('services/T/B/X'), 'the webhook path is never shown');
  });

  it('trace events (ArtifactUpToDate) are never posted; commit-status providers drop info events', () => {
    const t = run(
      { eventSources: [{ kind: 'GitRepository', name: '*' }] },
      [],
      [event(GIT, 'ArtifactUpToDate', UP_TO_DATE, 'Normal')],
    );
    assert.equal(t.events[0]!.step, 'trace');
    const g = graphOf([
      provider({ type: 'github', address: 'https://github.com/org/repo', secretRef: { name: 'gh' } }),
      secret(`${NS}/gh`, ['token']),
      alert({
        eventSources: [
          { kind: 'Kustomization', name: '*' },
          { kind: 'GitRepository', name: '*' },
        ],
      }),
      ...(EVENTS as never[]),
    ]);
    const c = alertTestView(g, 'ops', NS);
    assert.equal(c.events.find((e) => e.object.kind === 'GitRepository')!.step, 'commit-status');
    assert.equal(c.events.find((e) => e.object.kind === 'Kustomization')!.step, 'forwarded', 'error events pass');
  });
});

describe('alert test: the Provider check', () => {
  it('a missing Provider, a missing Secret and a Secret address (not printed)', () => {
    const none = graphOf([alert({ eventSources: [{ kind: 'Kustomization', name: '*' }] }), ...(EVENTS as never[])]);
    const t = alertTestView(none, 'ops', NS);
    assert.equal(t.provider.found, false);
    assert.equal(t.events[0]!.step, 'provider-missing');
    const g = graphOf([
      provider({ type: 'generic', secretRef: { name: 'hook' }, certSecretRef: { name: 'ca' } }),
      secret(`${NS}/hook`, ['address']),
      secret(`${NS}/ca`, ['tls.crt']),
      alert({ eventSources: [{ kind: 'Kustomization', name: '*' }] }),
    ]);
    const p = alertTestView(g, 'ops', NS).provider;
    assert.deepEqual(p.address, { from: 'secret' });
    assert.equal(p.secretRef?.hasKey, true);
    assert.ok(
      p.problems.some((x) => /has no ca\.crt key/.test(x)),
      p.problems.join('\n'),
    );
    const missing = graphOf([provider({ type: 'nope', secretRef: { name: 'gone' } }), alert({ eventSources: [] })]);
    const m = alertTestView(missing, 'ops', NS).provider;
    assert.ok(m.problems.some((x) => /Secret gone \(spec.secretRef\) does not exist/.test(x)));
    assert.ok(m.problems.some((x) => /type nope is not one notification-controller knows/.test(x)));
  });
});
