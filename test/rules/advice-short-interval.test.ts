import { rule } from '../../src/rules/advice-short-interval.js';
import { obj, READY, ruleTester } from '../helpers.js';

const git = (interval: string, extra: Record<string, unknown> = {}) =>
  obj('GitRepository', 'apps', {
    spec: { url: 'https://github.com/org/apps', ref: { branch: 'main' }, interval, ...extra },
    status: READY(),
  });

ruleTester(rule, {
  valid: [
    { name: 'interval of 1m', objects: [git('1m')] },
    { name: 'interval of 10m', objects: [git('10m0s')] },
    {
      name: 'OCI HelmRepository (interval ignored)',
      objects: [
        obj('HelmRepository', 'podinfo', {
          spec: { type: 'oci', url: 'oci://ghcr.io/stefanprodan/charts', interval: '10s' },
        }),
      ],
    },
    {
      name: 'a Kustomization with a short interval is not a source',
      objects: [obj('Kustomization', 'apps', { spec: { interval: '30s' }, status: READY() })],
    },
    { name: 'suspended', objects: [git('10s', { suspend: true })] },
  ],
  invalid: [
    {
      name: 'GitRepository polling GitHub every 30s',
      objects: [git('30s')],
      expect: [
        {
          severity: 'warning',
          cause: 'polls-too-often',
          data: { host: 'github.com', perHour: 120 },
          summary:
            'GitRepository flux-system/apps polls github.com every 30s (spec.interval: 30s), 120 requests an hour: this risks the github.com API rate limits for every source sharing its credentials',
          evidence: [/spec.interval: 30s; remote: https:\/\/github.com\/org\/apps/],
          remediation: [
            /5m/,
            /^For fast delivery, trigger it from a github webhook instead:$/,
            /flux create receiver apps --type github --event ping --event push .*--resource GitRepository\/apps/,
          ],
          fixTarget: { kind: 'GitRepository', namespace: 'flux-system', name: 'apps' },
        },
      ],
    },
    {
      name: 'GitRepository polling GitLab every 10s: a gitlab Receiver with its push events, quoted',
      objects: [
        obj('GitRepository', 'apps', {
          spec: { url: 'https://gitlab.com/org/apps', interval: '10s' },
          status: READY(),
        }),
      ],
      expect: [
        {
          cause: 'polls-too-often',
          data: { host: 'gitlab.com', perHour: 360 },
          remediation: [
            /^For fast delivery, trigger it from a gitlab webhook instead:$/,
            /^flux create receiver apps --type gitlab --event 'Push Hook' --event 'Tag Push Hook' --secret-ref webhook-token --resource GitRepository\/apps -n flux-system$/,
          ],
        },
      ],
    },
    {
      name: 'ImageRepository scanning Docker Hub every 15s, already behind a Receiver',
      objects: [
        obj('ImageRepository', 'web', {
          spec: { image: 'docker.io/library/nginx', interval: '15s' },
          status: READY('successful scan: found 900 tags'),
        }),
        obj('Receiver', 'hub', {
          spec: { type: 'dockerhub', resources: [{ kind: 'ImageRepository', name: 'web' }] },
          status: READY('Receiver initialized'),
        }),
      ],
      expect: [
        {
          summary:
            'ImageRepository flux-system/web polls docker.io every 15s (spec.interval: 15s), 240 requests an hour: this risks the docker.io API rate limits for every source sharing its credentials',
          remediation: [/already has a webhook Receiver \(Receiver flux-system\/hub\)/],
        },
      ],
    },
  ],
});
