// advice.helm-chart-unpinned: a HelmRelease (spec.chart) or HelmChart from a Helm repository asks
// for any version ('*', empty) or a semver range, so new chart releases roll out on their own.

import semver from 'semver';
import { releaseForChart } from '../signals/helm.js';
import { objId, show } from '../signals/index.js';
import type { K8sObject } from '../types.js';
import { objRef } from '../types.js';
import type { Rule } from './types.js';
import { reconcileCmd } from './util.js';

/** Version, chart name and the path of the version field, for a HelmRelease spec.chart or a HelmChart. */
function chartSpec(o: K8sObject) {
  if (o.kind === 'HelmRelease') {
    const s = o.spec?.chart?.spec;
    if (!s || typeof s !== 'object') return undefined;
    return { spec: s, field: 'spec.chart.spec.version' };
  }
  if (o.kind === 'HelmChart') return o.spec ? { spec: o.spec, field: 'spec.version' } : undefined;
  return undefined;
}

function installedVersion(o: K8sObject): string | undefined {
  const st = o.status ?? {};
  const v =
    o.kind === 'HelmRelease' ? (st.history?.[0]?.chartVersion ?? st.lastAttemptedRevision) : st.artifact?.revision;
  return typeof v === 'string' && semver.valid(v) ? v : undefined;
}

/** A range that only admits patch releases of one minor version (`6.7.x`, `~6.7.0`, `6.7`). */
export function patchOnly(range: string): boolean {
  const r = semver.validRange(range);
  if (!r) return false;
  const min = semver.minVersion(r);
  if (!min) return false;
  return !semver.intersects(r, `>=${min.major}.${min.minor + 1}.0-0`, { includePrerelease: true });
}

export const rule: Rule = {
  meta: {
    code: 'advice.helm-chart-unpinned',
    type: 'advice',
    severity: 'info',
    title: 'The Helm chart version is not pinned',
    kinds: ['HelmRelease', 'HelmChart'],
    messages: {
      // the summary names the repository and the installed version when known (computed in check)
      'any-version': { summary: '{object} takes chart {chart} at any version ({version})' },
      'version-range': { summary: '{object} takes chart {chart} at the version range {version}' },
    },
  },
  check(obj, { graph }) {
    const cs = chartSpec(obj);
    if (!cs) return undefined;
    // A HelmChart that helm-controller generated from a HelmRelease: the HelmRelease carries the advice.
    if (obj.kind === 'HelmChart' && releaseForChart(graph, obj)) return undefined;
    const srcKind = cs.spec.sourceRef?.kind ?? 'HelmRepository';
    if (srcKind !== 'HelmRepository') return undefined;
    const raw = cs.spec.version;
    const v = typeof raw === 'string' ? raw.trim() : raw == null ? '' : String(raw);
    if (v && semver.valid(v.replace(/^=\s*/, ''))) return undefined;
    const any = v === '' || v === '*' || v === 'x' || v === 'X';
    if (!any && patchOnly(v)) return undefined;
    const chart = cs.spec.chart ?? '(chart)';
    const repo = cs.spec.sourceRef?.name;
    const current = installedVersion(obj);
    const shown = v === '' ? 'unset (defaults to *)' : `'${v}'`;
    return {
      cause: any ? 'any-version' : 'version-range',
      data: { object: show(obj), chart, version: v || '*', field: cs.field, installed: current },
      summary: `${show(obj)} takes chart ${chart} at version ${shown}${any ? ' — any version' : ', a range'}: every new matching release${repo ? ` in HelmRepository ${repo}` : ''} is upgraded to automatically${any ? ', including new major versions' : ''}${current ? ` (installed now: ${current})` : ''}`,
      evidence: [
        {
          kind: 'field',
          object: objId(obj),
          text: `${cs.field}: ${v === '' ? '(unset)' : v}${current ? `; installed: ${current}` : ''}`,
        },
      ],
      remediation: [
        `Pin an exact version in Git: ${cs.field}: "${current ?? '<version>'}"`,
        'Let Renovate or Dependabot propose chart upgrades as pull requests',
        reconcileCmd(obj, true),
      ],
      fixTarget: objRef(obj),
    };
  },
};
