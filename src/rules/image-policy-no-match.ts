// image.policy-no-match: no tag of the ImageRepository matches the ImagePolicy (semver range,
// filterTags pattern/extract, numerical/alphabetical), or the policy itself is invalid. When the
// policy waits for its ImageRepository (no tags in the database yet, because the scan fails), the
// engine follows the imageRepositoryRef edge and reports the ImageRepository's failure instead.

import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import type { K8sObject } from '../types.js';
import type { Rule } from './types.js';
import { describeCmd, evidenceOf, matchSignals, reconcileCmd, show } from './util.js';

// image-reflector-controller internal/policy/semver.go, numerical.go, alphabetical.go (Latest):
//   "unable to determine latest version from provided list", "version list argument cannot be empty",
//   "failed to parse invalid numeric value '%s'"
// internal/controller/imagepolicy_controller.go: Ready=False reason Failure (metav1.StatusFailure) with that error;
// older releases: "Cannot determine latest tag for policy: %s" (image-reflector-controller issue #294).
export const NO_MATCH =
  /unable to determine latest version from provided list|version list argument cannot be empty|failed to parse invalid numeric value|Cannot determine latest tag for policy|no image found for policy/i;
// Stalled reason InvalidPolicy: "invalid policy: ..." (PolicerFromSpec) or
// "failed to filter tags: invalid regular expression pattern '%s': %w" (internal/policy/filter.go).
const INVALID = /invalid policy: |failed to filter tags: |invalid regular expression pattern|invalid order argument/i;
// Ready=False reason DependencyNotReady: "retrying in %s error: no tags in database", or (older)
// "referenced ImageRepository has not been scanned yet" (image-reflector-controller issue #773).
const WAITING = /no tags in database|has not been scanned yet/i;

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

export const rule: Rule = {
  meta: {
    code: 'image.policy-no-match',
    severity: 'error',
    title: 'No tag matches the image policy',
    kinds: ['ImagePolicy'],
    explainedBy: ['imageRepository'],
    docs: {
      description:
        'The ImagePolicy cannot select a latest image: none of the tags its ImageRepository found matches the semver range, the `filterTags` pattern leaves no tag (or `extract` gives values the policy cannot order), or the policy itself is invalid (a bad regular expression, an unknown order). ImageUpdateAutomations that use the policy keep the old image. When the policy only waits for its ImageRepository (no tags in the database because the scan fails), fluxdoctor reports the ImageRepository’s failure (`image.scan-failed`, `source.auth`, …) instead and lists the policy as affected.',
      detection:
        "`Ready=False` with reason `Failure` and image-reflector-controller's policy error (`unable to determine latest version from provided list`, `version list argument cannot be empty`, `failed to parse invalid numeric value '<v>'`; older releases: `Cannot determine latest tag for policy: ...`), or `Stalled` / `Ready=False` with reason `InvalidPolicy` (`invalid policy: ...`, `failed to filter tags: invalid regular expression pattern ...`), or `Ready=False` reason `DependencyNotReady` (`retrying in 30s error: no tags in database`) — then the `imageRepositoryRef` edge is followed. The ImageRepository's `status.lastScanResult` (tag count, latest tags) is shown to compare with the policy.",
      fix: [
        '- List the tags the repository has: `flux get image repository <repo>` and `kubectl get imagerepository <repo> -o jsonpath={.status.lastScanResult.latestTags}`.',
        '- **semver**: widen `spec.policy.semver.range` (e.g. `>=1.0.0`), or use `filterTags` to turn tags like `v1.2.3-rc1` into versions first; prerelease tags only match ranges with a prerelease (`>=1.0.0-0`).',
        '- **filterTags**: test the pattern against real tags; `extract` must reference a named group of the pattern (`$ts`).',
        '- **numerical/alphabetical**: `extract` must yield only numbers (numerical) or sortable strings.',
        '- Then `flux reconcile image policy <name>`.',
      ].join('\n'),
      commands: [
        'flux get image policy <name> -n <namespace>',
        'flux get image repository <repository> -n <namespace>',
        "kubectl get imagerepositories.image.toolkit.fluxcd.io <repository> -n <namespace> -o jsonpath='{.status.lastScanResult}'",
        'flux reconcile image policy <name> -n <namespace>',
      ],
      examples: [
        {
          message: 'unable to determine latest version from provided list',
          source: 'fluxcd/image-reflector-controller internal/policy/semver.go (SemVer.Latest)',
        },
        {
          message: 'Cannot determine latest tag for policy: version list argument cannot be empty',
          source: 'https://github.com/fluxcd/image-reflector-controller/issues/294',
        },
        {
          message: 'retrying in 30s error: no tags in database',
          source: 'fluxcd/image-reflector-controller internal/controller/imagepolicy_controller_test.go',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const h = graph.health(obj);
    if (h.state !== 'Failed' && h.state !== 'Waiting') return undefined;
    const ns = obj.metadata.namespace ?? 'default';
    const repoEdge = graph.out(obj, 'imageRepository')[0];
    const repoRef = repoEdge?.to;
    const repo = repoRef ? graph.get(repoRef) : undefined;
    const scan = repo?.status?.lastScanResult;
    const tags: string[] = Array.isArray(scan?.latestTags) ? scan.latestTags.slice(0, 5) : [];
    const repoText = repoRef ? show(repoRef) : 'the ImageRepository';
    const scanText = scan
      ? ` (it has ${scan.tagCount ?? '?'} tags${tags.length > 0 ? `, latest: ${tags.join(', ')}` : ''})`
      : '';

    // 1. The policy waits for its ImageRepository.
    const waiting = matchSignals(obj, graph, { reasons: ['DependencyNotReady'], from: ['Ready'] });
    if (waiting.length > 0) {
      // A reference to a repository that does not exist is flux.reference-missing.
      if (repoRef && !repo && graph.kindRead('ImageRepository', repoRef.namespace)) return undefined;
      const repoState = repo ? graph.health(repo) : undefined;
      const why = !repoRef
        ? ''
        : !repo
          ? ' (it was not in what fluxdoctor read, so its state is unknown)'
          : repoState && repoState.state !== 'Ready'
            ? ` (it is ${repoState.state.toLowerCase()}${repoState.reason ? `: ${repoState.reason}` : ''})`
            : `, which has no tags in the controller's database yet${scan ? ` (its last scan reported ${scan.tagCount ?? '?'} tags)` : ''}`;
      return {
        summary: `${show(obj)} has no tags to choose from: it waits for ${repoText}${why}`,
        evidence: evidenceOf(waiting),
        remediation: [
          ...(repoRef
            ? titled(`Find out why ${repoText} has no tags`, describeCmd(repoRef))
            : [`Check spec.imageRepositoryRef of ${show(obj)}`]),
          ...(repoRef ? ['Once it has scanned, reconcile both:', reconcileCmd(repoRef), reconcileCmd(obj)] : []),
        ],
        fixTarget: repoRef,
        explainedBy: ['imageRepository'],
      };
    }

    // 2. The policy is invalid.
    const invalid = matchSignals(obj, graph, { reasons: ['InvalidPolicy'], patterns: [INVALID] });
    if (invalid.length > 0) {
      return {
        summary: `${show(obj)} has an invalid policy (${policyText(obj)}): ${invalid[0]!.text}`,
        evidence: evidenceOf(invalid),
        remediation: [
          ...changeInGit(
            graph,
            obj,
            `fix spec.policy / spec.filterTags of ${show(obj)} (the regular expression must compile, RE2 syntax, and the order must be asc or desc)`,
          ),
          reconcileCmd(obj),
          `flux get image policy ${shq(obj.metadata.name)} -n ${shq(ns)}`,
        ],
        fixTarget: { kind: 'ImagePolicy', namespace: ns, name: obj.metadata.name },
        explainedBy: [],
      };
    }

    // 3. No tag matches.
    const noMatch = matchSignals(obj, graph, { patterns: [NO_MATCH], exclude: [WAITING] });
    if (noMatch.length === 0) return undefined;
    const emptyAfterFilter = /version list argument cannot be empty/.test(noMatch[0]!.text);
    const f = obj.spec?.filterTags;
    return {
      summary: `${show(obj)}: no tag of ${repoText}${scanText} matches ${policyText(obj)}${emptyAfterFilter && f?.pattern ? ' (the filter leaves no tag)' : ''}`,
      evidence: evidenceOf(noMatch),
      remediation: [
        ...(repoRef
          ? titled(
              'List the tags found',
              `kubectl get imagerepositories.image.toolkit.fluxcd.io ${shq(repoRef.name)}${nsArg(repoRef.namespace)} -o jsonpath='{.status.lastScanResult.latestTags}'`,
            )
          : [`Check spec.imageRepositoryRef of ${show(obj)}`]),
        ...changeInGit(
          graph,
          obj,
          obj.spec?.policy?.semver?.range
            ? `adjust spec.policy.semver.range ("${obj.spec.policy.semver.range}") of ${show(obj)} to match real tags (prerelease tags need a range like ">=1.0.0-0"), or add spec.filterTags to extract a version from tags like "v1.2.3" / "main-abc123-1700000000"`
            : `adjust spec.policy / spec.filterTags of ${show(obj)} to match real tags`,
        ),
        ...(f?.pattern
          ? [
              `Test the pattern "${f.pattern}" against the tags above; extract ("${f.extract ?? ''}") must name a group of the pattern`,
            ]
          : []),
        reconcileCmd(obj),
        `flux get image policy ${shq(obj.metadata.name)} -n ${shq(ns)}`,
      ],
      fixTarget: { kind: 'ImagePolicy', namespace: ns, name: obj.metadata.name },
      explainedBy: [],
    };
  },
};
