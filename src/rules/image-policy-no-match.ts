// image.policy-no-match: no tag of the ImageRepository matches the ImagePolicy (semver range,
// filterTags pattern/extract, numerical/alphabetical), or the policy itself is invalid. When the
// policy waits for its ImageRepository (no tags in the database yet, because the scan fails), the
// engine follows the imageRepositoryRef edge and reports the ImageRepository's failure instead.
// What the message says is read by the catalogue (src/signals/patterns/image-reflector-controller.ts).

import { whereToChange } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { evidenceOf, knownMissing, show, signalFor } from '../signals/index.js';
import type { K8sObject } from '../types.js';
import { objRef } from '../types.js';
import type { MessageTemplate, Rule } from './types.js';
import { describeCmd, reconcileCmd } from './util.js';

function policyText(o: K8sObject): string {
  const p = o.spec?.policy ?? {};
  const parts: string[] = [];
  if (p.semver?.range) parts.push(`semver range "${p.semver.range}"`);
  else if (p.numerical) parts.push(`numerical ${p.numerical.order ?? 'asc'}`);
  else if (p.alphabetical) parts.push(`alphabetical ${p.alphabetical.order ?? 'asc'}`);
  const f = o.spec?.filterTags;
  if (f?.pattern) parts.push(`filterTags pattern "${f.pattern}"${f.extract ? ` extract "${f.extract}"` : ''}`);
  return parts.length > 0 ? parts.join(' with ') : 'its policy';
}

const NO_MATCH_FIX = [
  'List the tags found:',
  '{listTags}',
  'Adjust spec.policy.semver.range ("{range}") of {object} to match real tags (prerelease tags need a range like ">=1.0.0-0"), or add spec.filterTags to extract a version from tags like "v1.2.3" / "main-abc123-1700000000", in {where}',
  'Adjust spec.policy / spec.filterTags of {object} to match real tags, in {where} ({noRange})',
  'Test the pattern "{pattern}" against the tags above; extract ("{extract}") must name a group of the pattern',
  '{reconcile}',
  '{status}',
];

const MESSAGES: Record<string, MessageTemplate> = {
  'no-tag-matches': {
    summary: '{object}: no tag of {repositoryTags} matches {policy}',
    remediation: NO_MATCH_FIX,
  },
  'no-tags-left': {
    summary: '{object}: no tag of {repositoryTags} matches {policy} (the filter leaves no tag)',
    remediation: NO_MATCH_FIX,
  },
  'no-tags': {
    summary: '{object}: {repositoryTags} gave the policy no tags to choose from ({policy})',
    remediation: NO_MATCH_FIX,
  },
  'numeric-value-invalid': {
    summary: '{object}: the numerical policy cannot order the tag value "{value}" of {repository} ({policy})',
    remediation: [
      'Make spec.filterTags of {object} extract only numbers (e.g. pattern "^main-[a-f0-9]+-(?P<ts>[0-9]+)" with extract "$ts"), in {where}',
      ...NO_MATCH_FIX.slice(4),
    ],
  },
  'invalid-policy': {
    summary: '{object} has an invalid policy ({policy}): {message}',
    remediation: [
      'Fix spec.policy / spec.filterTags of {object} (the regular expression must compile, RE2 syntax, and the order must be asc or desc), in {where}',
      '{reconcile}',
      '{status}',
    ],
  },
  'waiting-for-repository': {
    summary: '{object} has no tags to choose from: it waits for {repository} ({state})',
    remediation: [
      'Find out why {repository} has no tags:',
      '{describeRepository}',
      'Once it has scanned, reconcile both:',
      '{reconcileRepository}',
      '{reconcile}',
    ],
  },
};

export const rule: Rule = {
  meta: {
    code: 'image.policy-no-match',
    severity: 'error',
    title: 'No tag matches the image policy',
    kinds: ['ImagePolicy'],
    explainedBy: ['imageRepository'],
    messages: MESSAGES,
  },
  check(obj, { graph }) {
    const h = graph.health(obj);
    if (h.state !== 'Failed' && h.state !== 'Waiting') return undefined;
    const c = signalFor(obj, graph, 'image.policy-no-match');
    if (!c) return undefined;
    const ns = obj.metadata.namespace ?? 'default';
    const repoRef = graph.out(obj, 'imageRepository')[0]?.to;
    const repo = repoRef ? graph.get(repoRef) : undefined;
    const scan = repo?.status?.lastScanResult;
    const tags: string[] = Array.isArray(scan?.latestTags) ? scan.latestTags.slice(0, 5) : [];
    const f = obj.spec?.filterTags;
    const range: string | undefined = obj.spec?.policy?.semver?.range;
    const data = {
      object: show(obj),
      repository: repoRef ? show(repoRef) : 'the ImageRepository',
      repositoryTags: `${repoRef ? show(repoRef) : 'the ImageRepository'}${
        scan ? ` (it has ${scan.tagCount ?? '?'} tags${tags.length > 0 ? `, latest: ${tags.join(', ')}` : ''})` : ''
      }`,
      policy: policyText(obj),
      range,
      noRange: range ? undefined : 'no semver range',
      pattern: typeof f?.pattern === 'string' ? f.pattern : undefined,
      extract: typeof f?.pattern === 'string' ? (f.extract ?? '') || '(none)' : undefined,
      value: c.data.value,
      message: c.signal.text,
      where: whereToChange(graph, obj),
      listTags: repoRef
        ? `kubectl get imagerepositories.image.toolkit.fluxcd.io ${shq(repoRef.name)}${nsArg(repoRef.namespace)} -o jsonpath='{.status.lastScanResult.latestTags}'`
        : undefined,
      reconcile: reconcileCmd(obj),
      status: `flux get image policy ${shq(obj.metadata.name)} -n ${shq(ns)}`,
    };
    if (c.cause === 'waiting-for-repository') {
      // A reference to a repository that does not exist is flux.reference-missing.
      if (repoRef && knownMissing(graph, repoRef)) return undefined;
      const repoState = repo ? graph.health(repo) : undefined;
      const state = !repoRef
        ? 'spec.imageRepositoryRef is not set'
        : !repo
          ? 'it was not in what fluxdoctor read, so its state is unknown'
          : repoState && repoState.state !== 'Ready'
            ? `it is ${repoState.state.toLowerCase()}${repoState.reason ? `: ${repoState.reason}` : ''}`
            : `it has no tags in the controller's database yet${scan ? `; its last scan reported ${scan.tagCount ?? '?'} tags` : ''}`;
      return {
        cause: c.cause,
        data: {
          ...data,
          state,
          describeRepository: repoRef ? describeCmd(repoRef) : undefined,
          reconcileRepository: repoRef ? reconcileCmd(repoRef) : undefined,
        },
        evidence: evidenceOf(c.signals),
        fixTarget: repoRef,
        explainedBy: ['imageRepository'],
      };
    }
    // "version list argument cannot be empty": the filter left nothing, or there was nothing to filter.
    const cause = c.cause === 'no-tags-left' && data.pattern === undefined ? 'no-tags' : c.cause;
    return {
      cause,
      data,
      evidence: evidenceOf(c.signals),
      fixTarget: objRef(obj),
      explainedBy: [],
    };
  },
};
