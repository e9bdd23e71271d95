import assert from 'node:assert/strict';
import { it } from 'node:test';
import { defaultTimeout, rule } from '../../src/rules/advice-no-timeout.js';
import { obj, READY, ruleTester } from '../helpers.js';

const ks = (spec: Record<string, unknown>) =>
  obj('Kustomization', 'apps', {
    spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' }, path: './apps', prune: true, ...spec },
    status: READY(),
  });

ruleTester(rule, {
  valid: [
    { name: 'explicit timeout', objects: [ks({ interval: '1h', wait: true, timeout: '5m' })] },
    { name: 'no health checks: the timeout only bounds apply', objects: [ks({ interval: '1h' })] },
    { name: 'wait with a 10m interval: default 9m30s is reasonable', objects: [ks({ interval: '10m', wait: true })] },
    { name: 'suspended', objects: [ks({ interval: '1h', wait: true, suspend: true })] },
  ],
  invalid: [
    {
      name: 'wait with a 1h interval and no timeout',
      objects: [ks({ interval: '1h', wait: true })],
      expect: [
        {
          severity: 'info',
          cause: 'long-default-timeout',
          data: { timeout: '59m30s', interval: '1h', how: 'spec.wait: true' },
          summary:
            'Kustomization flux-system/apps waits for health checks (spec.wait: true) without spec.timeout, so the timeout defaults to 59m30s (interval 1h − 30s): a failing rollout is reported only after 59m30s, and its dependents wait as long',
          evidence: [/spec.interval: 1h; spec.timeout: \(unset\); spec.wait: true/],
          remediation: [/spec.timeout: 5m/, /flux reconcile kustomization apps -n flux-system/],
          fixTarget: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
        },
      ],
    },
    {
      name: 'health checks with a 1m interval: 30s timeout',
      objects: [
        ks({
          interval: '1m',
          healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' }],
        }),
      ],
      expect: [
        {
          cause: 'short-default-timeout',
          data: { timeout: '30s' },
          summary:
            'Kustomization flux-system/apps waits for health checks (1 spec.healthChecks) without spec.timeout, so the timeout defaults to only 30s (interval 1m): slower rollouts are reported as failed health checks',
          remediation: [/spec.timeout: 3m/, /flux reconcile kustomization apps -n flux-system/],
        },
      ],
    },
  ],
});

it('default timeout follows kustomize-controller GetTimeout (interval - 30s, min 30s)', () => {
  assert.equal(defaultTimeout(3_600_000), 3_570_000);
  assert.equal(defaultTimeout(45_000), 30_000);
});
