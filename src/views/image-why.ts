// `image why IMAGEPOLICY [--tag T]`: which tag an ImagePolicy selects and why, step by step, as
// image-reflector-controller computes it (src/views/image-policy.ts): the tags scanned, those the
// ImageRepository's exclusionList drops, those filterTags.pattern drops, the candidates after
// extract, the ones the policy rejects, and the winner. Pure over the Graph.

import type { Graph } from '../graph/graph.js';
import { cleanLine } from '../render/sanitize.js';
import type { K8sObject, ObjRef } from '../types.js';
import { cleanRef, nodeHealth, ViewError } from './common.js';
import {
  byteCompare,
  checkConstraint,
  compareVersions,
  goExpand,
  goRegExp,
  newConstraint,
  PolicyError,
  type PolicySpec,
  parseGoFloat,
  parseTagVersion,
  policyFromSpec,
  UnsupportedPattern,
} from './image-policy.js';

/** image-reflector-controller api/v1 GetExclusionList: an empty list means this default. */
export const DEFAULT_EXCLUSION = '^.*\\.sig$';
/** imagerepository_controller.go latestTagsCount. */
export const LATEST_TAGS_COUNT = 10;

export type TagStep =
  | 'not-scanned'
  | 'unknown'
  | 'excluded'
  | 'filtered-out'
  | 'replaced'
  | 'rejected'
  | 'loses'
  | 'tie'
  | 'selected'
  | 'policy-error';

export interface TagVerdict {
  tag: string;
  step: TagStep;
  detail: string;
  /** The tag that wins instead (loses, tie, replaced). */
  winner?: string;
}

export interface ImageWhy {
  policy: ObjRef;
  repository?: ObjRef;
  /** The policy as written: `semver >=1.0.0`, `alphabetical ASC`, `numerical DESC`. */
  rule?: string;
  filterTags?: { pattern: string; extract?: string };
  /** Where the tags came from and whether they are all the repository's tags. */
  tags: {
    source: 'status.lastScanResult.latestTags' | 'tag list' | 'none';
    /** True when the list is known to be a part of the tags (latestTags holds the 10 greatest). */
    partial: boolean;
    read: number;
    /** status.lastScanResult.tagCount: how many tags the last scan stored. */
    tagCount?: number;
    scanTime?: string;
  };
  exclusionList: { patterns: string[]; defaulted: boolean };
  funnel: {
    scanned: number;
    excluded: { tag: string; by: string }[];
    filteredOut: string[];
    /** Tags whose extracted value another (later) tag also produced: the controller keeps the later one. */
    replaced: { tag: string; value: string; by: string }[];
    candidates: { tag: string; value: string }[];
    rejected: { tag: string; value: string; why: string }[];
    /** Candidates the policy accepts, best first. */
    ranked: { tag: string; value: string }[];
  };
  /** The winning tag (null when none qualifies, or the policy fails). */
  selected: string | null;
  /** Other tags that compare equal to the winner: the controller may pick any of them. */
  ties: string[];
  /** The controller's error for this policy and these tags, as it would write it. */
  error?: { reason: 'InvalidPolicy' | 'Failure'; message: string };
  /** A Go pattern fluxdoctor cannot evaluate exactly: then `selected` is null and says nothing about the controller. */
  unsupported?: string;
  /** What the controller last recorded (status.latestRef, or latestImage in v1beta1 and older). */
  controller: {
    state: string;
    message?: string;
    latestTag?: string;
    latestImage?: string;
    digest?: string;
    /** True/false when both fluxdoctor and the controller have an answer; undefined otherwise. */
    agrees?: boolean;
  };
  tag?: TagVerdict;
  notes: string[];
}

export interface ImageWhyOptions {
  /** Explain this tag. */
  tag?: string;
  /** The repository's full tag list (a file, a registry listing) instead of status.latestTags. */
  tags?: string[];
}

const clean = (s: string) => cleanLine(s, 300);

interface Eval {
  excluded: { tag: string; by: string }[];
  filteredOut: string[];
  replaced: { tag: string; value: string; by: string }[];
  candidates: { tag: string; value: string }[];
  rejected: { tag: string; value: string; why: string }[];
  ranked: { tag: string; value: string }[];
  selected: string | null;
  ties: string[];
  error?: { reason: 'InvalidPolicy' | 'Failure'; message: string };
  /** A Go pattern fluxdoctor cannot reproduce exactly: no answer rather than a wrong one. */
  unsupported?: string;
}

/**
 * The controller's computation over `tags` in its database order (descending byte order), with
 * `exclude` applied first when the list is a raw registry listing.
 */
export function evaluatePolicy(
  policy: unknown,
  filterTags: { pattern?: unknown; extract?: unknown } | undefined,
  tags: string[],
  exclude: string[] | undefined,
): Eval {
  const ev: Eval = {
    excluded: [],
    filteredOut: [],
    replaced: [],
    candidates: [],
    rejected: [],
    ranked: [],
    selected: null,
    ties: [],
  };
  let list = [...tags].sort((a, b) => -byteCompare(a, b));
  if (exclude) {
    let res: RegExp[];
    try {
      res = exclude.map(goRegExp);
    } catch (e) {
      if (e instanceof UnsupportedPattern) ev.unsupported = `exclusionList: ${e.message}`;
      else ev.error = { reason: 'Failure', message: `failed to compile regex: ${(e as Error).message}` };
      return ev;
    }
    list = list.filter((t) => {
      const i = res.findIndex((r) => r.test(t));
      if (i >= 0) ev.excluded.push({ tag: t, by: exclude[i]! });
      return i < 0;
    });
  }
  let spec: PolicySpec;
  try {
    spec = policyFromSpec(policy);
  } catch (e) {
    ev.error = { reason: 'InvalidPolicy', message: `invalid policy: ${(e as Error).message}` };
    return ev;
  }
  // Value → tag, a later tag replacing an earlier one with the same value (Go map assignment).
  const values = new Map<string, string>();
  if (filterTags && typeof filterTags === 'object') {
    const pattern = String(filterTags.pattern ?? '');
    const extract = String(filterTags.extract ?? '');
    let re: RegExp;
    try {
      re = goRegExp(pattern);
    } catch (e) {
      if (e instanceof UnsupportedPattern) {
        ev.unsupported = `filterTags.pattern: ${e.message}`;
        return ev;
      }
      ev.error = {
        reason: 'InvalidPolicy',
        message: `failed to filter tags: invalid regular expression pattern '${pattern}': ${(e as Error).message}`,
      };
      return ev;
    }
    for (const t of list) {
      const m = re.exec(t);
      if (!m) {
        ev.filteredOut.push(t);
        continue;
      }
      const v = extract !== '' ? goExpand(extract, m) : t;
      const prev = values.get(v);
      if (prev !== undefined) ev.replaced.push({ tag: prev, value: v, by: t });
      values.set(v, t);
    }
  } else for (const t of list) values.set(t, t);
  ev.candidates = [...values].map(([value, tag]) => ({ value, tag }));
  const filtered = filterTags !== undefined && filterTags !== null;
  if (ev.candidates.length === 0) {
    ev.error = { reason: 'Failure', message: 'version list argument cannot be empty' };
    return ev;
  }
  const cands = ev.candidates;
  if (spec.type === 'semver') {
    const cs = newConstraint(spec.range ?? '');
    const ok: { tag: string; value: string; v: NonNullable<ReturnType<typeof parseTagVersion>> }[] = [];
    for (const c of cands) {
      const v = parseTagVersion(c.value);
      if (!v) {
        ev.rejected.push({ ...c, why: 'not a semantic version (MAJOR.MINOR.PATCH)' });
        continue;
      }
      if (!checkConstraint(cs, v)) {
        const pre = v.pre !== '' && !cs.containsPre.some(Boolean);
        ev.rejected.push({
          ...c,
          why: pre
            ? `a pre-release, and no constraint of "${spec.range}" names a pre-release`
            : `outside the range "${spec.range}"`,
        });
        continue;
      }
      ok.push({ ...c, v });
    }
    // Stable sort: among equal versions the first in list order stays first (Latest keeps it).
    ok.sort((a, b) => -compareVersions(a.v, b.v));
    ev.ranked = ok.map(({ tag, value }) => ({ tag, value }));
    if (ok.length === 0) {
      ev.error = { reason: 'Failure', message: 'unable to determine latest version from provided list' };
      return ev;
    }
    ev.selected = ok[0]!.tag;
    ev.ties = ok
      .slice(1)
      .filter((x) => compareVersions(x.v, ok[0]!.v) === 0)
      .map((x) => x.tag);
    if (!filtered) ev.ties = [];
    return ev;
  }
  if (spec.type === 'alphabetical') {
    const sorted = [...cands].sort((a, b) => byteCompare(a.value, b.value) * (spec.order === 'ASC' ? -1 : 1));
    ev.ranked = sorted;
    ev.selected = sorted[0]!.tag;
    return ev;
  }
  // numerical: every value must parse; equal values: the last one in order wins.
  const nums: { tag: string; value: string; n: number }[] = [];
  const bad: string[] = [];
  for (const c of cands) {
    const n = parseGoFloat(c.value);
    if (n === undefined) {
      bad.push(c.value);
      ev.rejected.push({ ...c, why: 'not a number (Go strconv.ParseFloat)' });
    } else nums.push({ ...c, n });
  }
  if (bad.length > 0) {
    ev.error = {
      reason: 'Failure',
      message: `failed to parse invalid numeric value '${bad[0]}'`,
    };
    return ev;
  }
  let latest = nums[0]!;
  for (const x of nums.slice(1)) {
    if (spec.order === 'ASC' && x.n < latest.n) continue;
    if (spec.order === 'DESC' && x.n > latest.n) continue;
    latest = x;
  }
  const rankOf = (a: { n: number }, b: { n: number }) => (spec.order === 'ASC' ? b.n - a.n : a.n - b.n);
  ev.ranked = [latest, ...nums.filter((x) => x !== latest).sort(rankOf)].map(({ tag, value }) => ({ tag, value }));
  ev.selected = latest.tag;
  if (filtered) ev.ties = nums.filter((x) => x !== latest && x.n === latest.n).map((x) => x.tag);
  return ev;
}

function ruleText(p: unknown): string | undefined {
  const o = (p ?? {}) as Record<string, Record<string, unknown> | undefined>;
  if (o.semver) return `semver ${JSON.stringify(String(o.semver.range ?? ''))}`;
  if (o.alphabetical) return `alphabetical ${String(o.alphabetical.order ?? '').toUpperCase() || 'ASC'}`;
  if (o.numerical) return `numerical ${String(o.numerical.order ?? '').toUpperCase() || 'ASC'}`;
  return undefined;
}

/** The tag an image reference ends in (`host:5000/app:1.2.3@sha256:…` → 1.2.3). */
function tagOf(image: string): string | undefined {
  const noDigest = image.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(colon + 1) : undefined;
}

function verdict(ev: Eval, t: string, scanned: string[], partial: boolean, exclusion: string[]): TagVerdict {
  const ex = ev.excluded.find((x) => x.tag === t);
  if (ex) return { tag: t, step: 'excluded', detail: `dropped at scan time by the exclusionList regex ${ex.by}` };
  if (!scanned.includes(t)) {
    let by: string | undefined;
    try {
      by = exclusion.find((p) => goRegExp(p).test(t));
    } catch {
      by = undefined;
    }
    if (by) return { tag: t, step: 'excluded', detail: `the exclusionList regex ${by} matches it: it is never stored` };
    return partial
      ? {
          tag: t,
          step: 'unknown',
          detail: `not among the ${scanned.length} tags read (status.lastScanResult.latestTags lists only the ${LATEST_TAGS_COUNT} greatest by string order): give the full list with --tags-file to decide`,
        }
      : { tag: t, step: 'not-scanned', detail: 'not in the scanned tag list: the registry did not list it' };
  }
  if (ev.unsupported) return { tag: t, step: 'unknown', detail: `fluxdoctor cannot evaluate: ${ev.unsupported}` };
  if (ev.error?.reason === 'InvalidPolicy')
    return { tag: t, step: 'policy-error', detail: `the policy itself fails: ${ev.error.message}` };
  if (ev.filteredOut.includes(t))
    return { tag: t, step: 'filtered-out', detail: 'filterTags.pattern does not match it' };
  const rep = ev.replaced.find((x) => x.tag === t);
  if (rep)
    return {
      tag: t,
      step: 'replaced',
      detail: `extract turns it into "${rep.value}", and so does the later tag ${rep.by}, which the controller keeps`,
      winner: rep.by,
    };
  const rej = ev.rejected.find((x) => x.tag === t);
  if (rej) {
    const value = rej.value !== t ? ` (extracted value "${rej.value}")` : '';
    return {
      tag: t,
      // A value ParseFloat refuses fails the whole numerical policy; other rejections only drop the tag.
      step: ev.error?.message.startsWith('failed to parse') ? 'policy-error' : 'rejected',
      detail: `${rej.why}${value}${ev.error ? `; the policy fails: ${ev.error.message}` : ''}`,
    };
  }
  if (ev.selected === t) return { tag: t, step: 'selected', detail: 'it wins: the policy selects it' };
  if (ev.ties.includes(t) && ev.selected)
    return {
      tag: t,
      step: 'tie',
      detail: `it ranks equal to ${ev.selected}; the controller orders candidates by Go map iteration, so either can win`,
      winner: ev.selected,
    };
  if (ev.selected) {
    const me = ev.ranked.find((x) => x.tag === t);
    const w = ev.ranked[0]!;
    return {
      tag: t,
      step: 'loses',
      detail: `a candidate${me && me.value !== t ? ` (value "${me.value}")` : ''}, but ${w.tag}${w.value !== w.tag ? ` (value "${w.value}")` : ''} ranks higher`,
      winner: w.tag,
    };
  }
  return { tag: t, step: 'policy-error', detail: ev.error?.message ?? 'no tag is selected' };
}

export function imageWhy(graph: Graph, ref: ObjRef, opts: ImageWhyOptions = {}): ImageWhy {
  if (ref.kind !== 'ImagePolicy') throw new ViewError(`image why takes an ImagePolicy, not a ${ref.kind}`);
  const pol = graph.get(ref);
  if (!pol) throw new ViewError(`ImagePolicy ${ref.namespace ?? ''}/${ref.name} is not in the snapshot`);
  const spec = (pol.spec ?? {}) as Record<string, unknown>;
  const status = (pol.status ?? {}) as Record<string, unknown>;
  const notes: string[] = [];
  const repoRefSpec = (spec.imageRepositoryRef ?? {}) as { name?: unknown; namespace?: unknown };
  const repoRef: ObjRef | undefined =
    typeof repoRefSpec.name === 'string'
      ? {
          kind: 'ImageRepository',
          namespace:
            typeof repoRefSpec.namespace === 'string' && repoRefSpec.namespace ? repoRefSpec.namespace : ref.namespace,
          name: repoRefSpec.name,
        }
      : undefined;
  const repo: K8sObject | undefined = repoRef ? graph.get(repoRef) : undefined;
  const rspec = (repo?.spec ?? {}) as Record<string, unknown>;
  const scan = ((repo?.status as Record<string, unknown> | undefined)?.lastScanResult ?? undefined) as
    | { latestTags?: unknown; tagCount?: unknown; scanTime?: unknown }
    | undefined;
  const listed = Array.isArray(rspec.exclusionList) ? rspec.exclusionList.filter((x) => typeof x === 'string') : [];
  const exclusion = listed.length > 0 ? (listed as string[]) : [DEFAULT_EXCLUSION];

  let tags: string[] = [];
  let source: ImageWhy['tags']['source'] = 'none';
  let partial = false;
  const tagCount = typeof scan?.tagCount === 'number' ? scan.tagCount : undefined;
  if (opts.tags) {
    tags = [...new Set(opts.tags)];
    source = 'tag list';
  } else if (scan && Array.isArray(scan.latestTags)) {
    tags = scan.latestTags.filter((t): t is string => typeof t === 'string');
    source = 'status.lastScanResult.latestTags';
    partial = tagCount === undefined ? tags.length >= LATEST_TAGS_COUNT : tagCount > tags.length;
  }
  if (!repoRef) notes.push('spec.imageRepositoryRef has no name');
  else if (!repo)
    notes.push(`${repoRef.kind} ${repoRef.namespace}/${repoRef.name} was not read: its scanned tags are unknown`);
  else if (source === 'none')
    notes.push('the ImageRepository has no status.lastScanResult.latestTags: it has not scanned successfully');
  if (source === 'status.lastScanResult.latestTags') {
    if (partial)
      notes.push(
        `the tag list is partial: status.lastScanResult.latestTags holds the ${LATEST_TAGS_COUNT} greatest tags by string order of ${tagCount ?? 'more'} scanned; the controller evaluates all of them, so its choice can differ — pass the full list with --tags-file (e.g. from crane ls or the registry's /v2/<name>/tags/list)`,
      );
    notes.push('tags in status are already past the exclusionList (excluded tags are never stored)');
  }

  const filterTags =
    spec.filterTags && typeof spec.filterTags === 'object'
      ? (spec.filterTags as { pattern?: unknown; extract?: unknown })
      : undefined;
  const ev =
    source === 'none'
      ? undefined
      : evaluatePolicy(spec.policy, filterTags, tags, source === 'tag list' ? exclusion : undefined);
  // Without tags the policy can still be invalid.
  let error = ev?.error;
  if (!ev) {
    try {
      policyFromSpec(spec.policy);
      if (filterTags) goRegExp(String(filterTags.pattern ?? ''));
    } catch (e) {
      if (e instanceof PolicyError) error = { reason: 'InvalidPolicy', message: `invalid policy: ${e.message}` };
    }
  }
  if (ev?.unsupported)
    notes.push(
      `fluxdoctor cannot evaluate this exactly (${ev.unsupported}); this is a limit of fluxdoctor, not an error of the policy`,
    );
  if (ev && ev.ties.length > 0)
    notes.push(
      `${ev.ties.length + 1} candidates rank equal (${[ev.selected, ...ev.ties].join(', ')}): with filterTags the controller iterates a Go map, so which one it picks can change between reconciles`,
    );

  const latestRef = (status.latestRef ?? {}) as { tag?: unknown; name?: unknown; digest?: unknown };
  const latestImage = typeof status.latestImage === 'string' ? status.latestImage : undefined;
  const latestTag =
    typeof latestRef.tag === 'string' ? latestRef.tag : latestImage !== undefined ? tagOf(latestImage) : undefined;
  const h = nodeHealth(graph, ref);
  const controller: ImageWhy['controller'] = { state: h.state };
  if (h.message) controller.message = h.message;
  if (latestTag !== undefined) controller.latestTag = clean(latestTag);
  if (typeof latestRef.name === 'string') controller.latestImage = clean(`${latestRef.name}:${latestTag ?? ''}`);
  else if (latestImage) controller.latestImage = clean(latestImage);
  if (typeof latestRef.digest === 'string' && latestRef.digest) controller.digest = clean(latestRef.digest);
  const selected = ev?.selected ?? null;
  if (latestTag !== undefined && ev && !ev.unsupported) {
    controller.agrees = latestTag === selected || (ev.ties.includes(latestTag) && selected !== null);
    if (!controller.agrees) {
      if (partial && !tags.includes(latestTag))
        notes.push(
          `the controller selected ${clean(latestTag)}, which is not among the tags fluxdoctor can see (the list is partial)`,
        );
      else if (h.state !== 'Ready')
        notes.push('status.latestRef is from an earlier successful reconcile; the policy does not resolve now');
      else
        notes.push(
          `the controller recorded ${clean(latestTag)}: the tags or the policy changed since its last reconcile, or the list read here is not the one it scanned`,
        );
    }
  }
  if (spec.digestReflectionPolicy && spec.digestReflectionPolicy !== 'Never')
    notes.push(
      `digestReflectionPolicy ${clean(String(spec.digestReflectionPolicy))}: the controller also resolves the winning tag's digest from the registry (status.latestRef.digest)`,
    );

  const out: ImageWhy = {
    policy: cleanRef(ref),
    ...(repoRef ? { repository: cleanRef(repoRef) } : {}),
    ...(ruleText(spec.policy) ? { rule: clean(ruleText(spec.policy)!) } : {}),
    ...(filterTags
      ? {
          filterTags: {
            pattern: clean(String(filterTags.pattern ?? '')),
            ...(filterTags.extract ? { extract: clean(String(filterTags.extract)) } : {}),
          },
        }
      : {}),
    tags: {
      source,
      partial,
      read: tags.length,
      ...(tagCount !== undefined ? { tagCount } : {}),
      ...(typeof scan?.scanTime === 'string' ? { scanTime: clean(scan.scanTime) } : {}),
    },
    exclusionList: { patterns: exclusion.map(clean), defaulted: listed.length === 0 },
    funnel: {
      scanned: tags.length,
      excluded: (ev?.excluded ?? []).map((x) => ({ tag: clean(x.tag), by: clean(x.by) })),
      filteredOut: (ev?.filteredOut ?? []).map(clean),
      replaced: (ev?.replaced ?? []).map((x) => ({ tag: clean(x.tag), value: clean(x.value), by: clean(x.by) })),
      candidates: (ev?.candidates ?? []).map((x) => ({ tag: clean(x.tag), value: clean(x.value) })),
      rejected: (ev?.rejected ?? []).map((x) => ({ tag: clean(x.tag), value: clean(x.value), why: clean(x.why) })),
      ranked: (ev?.ranked ?? []).map((x) => ({ tag: clean(x.tag), value: clean(x.value) })),
    },
    selected: selected === null ? null : clean(selected),
    ties: (ev?.ties ?? []).map(clean),
    ...(error ? { error: { reason: error.reason, message: clean(error.message) } } : {}),
    ...(ev?.unsupported ? { unsupported: clean(ev.unsupported) } : {}),
    controller,
    notes: notes.map((n) => cleanLine(n, 600)),
  };
  if (opts.tag !== undefined) {
    const v = ev
      ? verdict(ev, opts.tag, tags, partial, exclusion)
      : ({
          tag: opts.tag,
          step: 'unknown',
          detail: error ? `the policy itself fails: ${error.message}` : 'no tags were read for this policy',
        } as TagVerdict);
    out.tag = {
      tag: clean(v.tag),
      step: v.step,
      detail: cleanLine(v.detail, 600),
      ...(v.winner ? { winner: clean(v.winner) } : {}),
    };
  }
  return out;
}
