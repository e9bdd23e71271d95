import { baseCluster, fluxSystemKs, OUT } from './base.mjs';
import { alert, imagePolicy, imageRepository, imageUpdateAutomation, provider, receiver } from './healthy.mjs';
import { b64, ksLabels, secret, uid, writeExpected } from './lib.mjs';

export function imageAutomation() {
  const base = baseCluster('image-automation');
  const { w } = base;
  const L = ksLabels('flux-system');
  const ir = { component: 'image-reflector-controller' };

  // A healthy repository, and a policy whose range matches none of its tags (image.policy-no-match).
  const frontendRepo = imageRepository(w, 'flux-system', 'frontend', 'ghcr.io/acme/frontend', {
    labels: L,
    tags: ['2.14.0', '2.13.2', '2.13.1', '2.13.0', '2.12.4'],
    count: 37,
  });
  const noMatch = 'unable to determine latest version from provided list';
  const frontendPol = imagePolicy(w, 'flux-system', 'frontend', frontendRepo, '>=3.0.0 <4.0.0', {
    labels: L,
    created: 18,
    failure: { reason: 'Failure', message: noMatch, since: 18 },
  });
  w.event(frontendPol, 'Warning', 'Failure', noMatch, { ...ir, count: 6, first: 18, last: 3 });
  w.log('image-reflector-controller', frontendPol, 'error', 'Reconciler error', { min: 3, error: noMatch });

  // A repository the registry does not know (image.scan-failed), and the policy waiting for its tags.
  const scanMsg =
    'scan failed: GET https://ghcr.io/v2/acme/legacy-api/tags/list?n=1000: NAME_UNKNOWN: repository name not known to registry';
  const legacyRepo = imageRepository(w, 'flux-system', 'legacy-api', 'ghcr.io/acme/legacy-api', {
    labels: L,
    created: 44,
    failure: { reason: 'ReadOperationFailed', message: scanMsg, since: 44 },
  });
  const legacyPol = imagePolicy(w, 'flux-system', 'legacy-api', legacyRepo, '>=1.0.0', {
    labels: L,
    created: 44,
    failure: { reason: 'DependencyNotReady', message: 'retrying in 30s error: no tags in database', since: 44 },
  });
  w.event(legacyRepo, 'Warning', 'ReadOperationFailed', scanMsg, { ...ir, count: 9, first: 44, last: 4 });
  w.log('image-reflector-controller', legacyRepo, 'error', 'Reconciler error', { min: 4, error: scanMsg });

  // The update commit is rejected by branch protection (image.git-push-failed).
  const pushMsg =
    'failed to update source: failed to push to remote: command error on refs/heads/main: protected branch hook declined';
  const iua = imageUpdateAutomation(w, 'flux-system', 'flux-system', {
    labels: L,
    created: 60 * 24 * 20,
    policies: { frontend: { name: 'ghcr.io/acme/frontend', tag: '2.14.0' } },
    failure: { reason: 'GitOperationFailed', message: pushMsg, since: 29, last: 1 },
  });
  w.event(iua, 'Warning', 'GitOperationFailed', pushMsg, {
    component: 'image-automation-controller',
    count: 3,
    first: 29,
    last: 1,
  });
  w.log('image-automation-controller', iua, 'error', 'Reconciler error', { min: 1, error: pushMsg });

  // A Receiver whose token Secret does not exist (notification.receiver-secret-missing).
  const tokenMsg =
    'unable to read token from secret \'flux-system/webhook-token\' error: secrets "webhook-token" not found';
  const rcv = receiver(w, 'flux-system', 'github', 'webhook-token', {
    labels: L,
    created: 15,
    failure: { reason: 'TokenNotFound', message: tokenMsg, since: 15 },
  });
  w.event(rcv, 'Warning', 'Failed', tokenMsg, { component: 'notification-controller', count: 5, first: 15, last: 2 });
  w.log('notification-controller', rcv, 'error', 'Reconciler error', { min: 2, error: tokenMsg });

  // A Provider whose address host does not exist (notification.provider-failed); the Alert using it.
  const addr = 'https://alerts.acme-corp.invalid/flux';
  const prov = provider(w, 'flux-system', 'ops-webhook', 'generic', { address: addr, labels: L, created: 60 * 24 * 2 });
  const ops = alert(w, 'flux-system', 'ops', 'ops-webhook', {
    labels: L,
    created: 60 * 24 * 2,
    sources: [
      { kind: 'Kustomization', name: '*' },
      { kind: 'ImageUpdateAutomation', name: '*' },
    ],
  });
  const dispatch = (obj) =>
    `failed to send notification for ${obj}: postMessage failed: failed to execute request: POST ${addr} giving up after 5 attempt(s): Post "${addr}": dial tcp: lookup alerts.acme-corp.invalid on 10.96.0.10:53: no such host`;
  w.event(ops, 'Warning', 'NotificationDispatchFailed', dispatch('ImageUpdateAutomation/flux-system/flux-system'), {
    component: 'notification-controller',
    count: 3,
    first: 29,
    last: 1,
  });
  w.event(ops, 'Warning', 'NotificationDispatchFailed', dispatch('Kustomization/flux-system/flux-system'), {
    component: 'notification-controller',
    count: 2,
    first: 60 * 6,
    last: 36,
  });
  for (const [m, o] of [
    [29, 'ImageUpdateAutomation/flux-system/flux-system'],
    [1, 'ImageUpdateAutomation/flux-system/flux-system'],
  ]) {
    const [kind, ns, name] = o.split('/');
    const err = `postMessage failed: failed to execute request: POST ${addr} giving up after 5 attempt(s): Post "${addr}": dial tcp: lookup alerts.acme-corp.invalid on 10.96.0.10:53: no such host`;
    w.rawLog('notification-controller', {
      level: 'error',
      ts: w.tn(m - 0.05, '.512Z'),
      logger: 'event-server',
      msg: 'failed to send notification',
      eventInvolvedObject: {
        kind,
        namespace: ns,
        name,
        uid: uid(`image-automation/${kind}/${ns}/${name}`),
        apiVersion: 'image.toolkit.fluxcd.io/v1',
      },
      alert: { name: 'ops', namespace: 'flux-system', providerName: 'ops-webhook' },
      error: err,
    });
  }
  secret(
    w,
    'flux-system',
    'slack-webhook',
    { address: b64('https://hooks.slack.com/services/T000/B000/FAKEFAKEFAKE') },
    { labels: L },
  );
  const slack = provider(w, 'flux-system', 'slack', 'slack', {
    channel: 'platform-alerts',
    secretRef: 'slack-webhook',
    labels: L,
  });
  const onCall = alert(w, 'flux-system', 'on-call', 'slack', { labels: L });

  fluxSystemKs(w, base, [frontendRepo, frontendPol, legacyRepo, legacyPol, iua, rcv, prov, ops, slack, onCall]);

  const dir = `${OUT}/image-automation`;
  w.write(dir);
  writeExpected(dir, [
    {
      code: 'image.scan-failed',
      severity: 'error',
      rootCause: 'ImageRepository/flux-system/legacy-api',
      affected: ['ImagePolicy/flux-system/legacy-api'],
    },
    {
      code: 'notification.provider-failed',
      severity: 'error',
      rootCause: 'Provider/flux-system/ops-webhook',
      affected: ['Alert/flux-system/ops'],
    },
    {
      code: 'image.git-push-failed',
      severity: 'error',
      rootCause: 'ImageUpdateAutomation/flux-system/flux-system',
      affected: [],
    },
    { code: 'image.policy-no-match', severity: 'error', rootCause: 'ImagePolicy/flux-system/frontend', affected: [] },
    {
      code: 'notification.receiver-secret-missing',
      severity: 'error',
      rootCause: 'Receiver/flux-system/github',
      affected: [],
    },
  ]);
}
