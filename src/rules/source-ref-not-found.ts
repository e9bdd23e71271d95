// source.ref-not-found: the branch, tag, semver range, commit or OCI tag does not exist at the remote.
// What the message says is read by the catalogue (src/signals/patterns/go-git.ts, source-controller.ts).

import { whereToChange } from '../render/advice.js';
import { shqOr } from '../render/shell.js';
import { type Classified, evidenceOf, show, showsFailure, signalFor, urlOf } from '../signals/index.js';
import type { K8sObject } from '../types.js';
import { objRef } from '../types.js';
import type { MessageTemplate, Rule } from './types.js';
import { describeCmd, reconcileCmd } from './util.js';

/** The reference a GitRepository or OCIRepository asks for, in words. */
function describeRef(obj: K8sObject): { what: string; value: string; field: string; unset?: boolean } | undefined {
  const ref = obj.spec?.ref ?? {};
  if (obj.kind === 'GitRepository') {
    if (ref.commit) return { what: 'commit', value: ref.commit, field: 'spec.ref.commit' };
    if (ref.name) return { what: 'ref', value: ref.name, field: 'spec.ref.name' };
    if (ref.semver) return { what: 'semver range', value: ref.semver, field: 'spec.ref.semver' };
    if (ref.tag) return { what: 'tag', value: ref.tag, field: 'spec.ref.tag' };
    if (ref.branch) return { what: 'branch', value: ref.branch, field: 'spec.ref.branch' };
    return { what: 'branch', value: 'master', field: 'spec.ref.branch', unset: true };
  }
  if (obj.kind === 'OCIRepository') {
    if (ref.digest) return { what: 'digest', value: ref.digest, field: 'spec.ref.digest' };
    if (ref.semver) return { what: 'semver range', value: ref.semver, field: 'spec.ref.semver' };
    if (ref.tag) return { what: 'tag', value: ref.tag, field: 'spec.ref.tag' };
    return { what: 'tag', value: 'latest', field: 'spec.ref.tag', unset: true };
  }
  return undefined;
}

/** What the message says is missing (the catalogue's captures), when it names it. */
function missingFromMessage(c: Classified): { what: string; value: string } | undefined {
  const d = c.data;
  if (d.branch) return { what: 'branch', value: d.branch };
  if (d.tag) return { what: d.tag.startsWith('sha256') ? 'digest' : 'tag', value: d.tag };
  if (d.commit) return { what: 'commit', value: d.commit };
  if (d.semver) return { what: 'semver range', value: d.semver.trim() };
  if (d.ref) return { what: 'ref', value: d.ref };
  return undefined;
}

function listCommand(obj: K8sObject, what: string): string {
  const url = shqOr(urlOf(obj), '<url>');
  if (obj.kind === 'GitRepository') {
    if (what === 'tag' || what === 'semver range') return `git ls-remote --tags ${url}`;
    if (what === 'commit') return `git ls-remote ${url}`;
    return `git ls-remote --heads ${url}`;
  }
  return `flux list artifacts ${url}`;
}

const AFTER = ['{reconcile}', '{describe}'];

const MESSAGES: Record<string, MessageTemplate> = {
  'ref-missing': {
    summary: "{object}: {what} '{value}' does not exist at {url}",
    remediation: [
      'List what exists:',
      '{list}',
      'Set {setField} of {object} to an existing {what} in {where}',
      'Set {field} of {object} in {where} (it is not set, so the default {unsetDefault} is used)',
      "Or publish '{value}' at the remote",
      ...AFTER,
    ],
  },
  'semver-no-match': {
    summary: '{object}: no tag at {url} satisfies the semver range {range}',
    remediation: [
      'List what exists:',
      '{list}',
      'Set {field} of {object} to an existing range in {where}',
      'Or publish a tag in the range at the remote',
      ...AFTER,
    ],
  },
  'repository-unknown': {
    summary: '{object}: the registry does not know the repository {url}',
    remediation: ['List what exists:', '{list}', 'Fix spec.url of {object} ({url}) in {where}', ...AFTER],
  },
  'empty-repository': {
    summary: '{object}: the repository {url} is empty (it has no commits)',
    remediation: [
      'Push a first commit to {url} (or point spec.url of {object} at the right repository, in {where})',
      ...AFTER,
    ],
  },
  'sparse-dir-missing': {
    summary: "{object}: the sparse checkout directory '{path}' does not exist in {url}",
    remediation: [
      'Fix spec.sparseCheckout of {object} (the directory must exist at {what} {value}), in {where}',
      ...AFTER,
    ],
  },
};

export const rule: Rule = {
  meta: {
    code: 'source.ref-not-found',
    severity: 'error',
    title: 'The branch, tag, semver range, commit or OCI tag does not exist',
    kinds: ['GitRepository', 'OCIRepository'],
    messages: MESSAGES,
  },
  check(obj, { graph }) {
    // A suspended source whose condition still shows the failure is reported too (see showsFailure).
    if (!showsFailure(obj, graph)) return undefined;
    const c = signalFor(obj, graph, 'source.ref-not-found');
    if (!c) return undefined;
    const spec = describeRef(obj);
    const said = missingFromMessage(c);
    const what = said?.what ?? spec?.what ?? 'reference';
    const value = said?.value || spec?.value || '';
    const cause =
      c.cause === 'oci-tag-not-found' && /NAME_UNKNOWN|name unknown/.test(c.data.error ?? '')
        ? 'repository-unknown'
        : c.cause === 'semver-no-match'
          ? 'semver-no-match'
          : c.cause === 'empty-repository' || c.cause === 'sparse-dir-missing'
            ? c.cause
            : 'ref-missing';
    // The field to change: the one the message names when the spec asks for that kind of reference.
    const field =
      spec && (spec.what === what || !said)
        ? spec.field
        : `spec.ref.${what === 'semver range' ? 'semver' : what === 'ref' ? 'name' : what}`;
    const unset = spec?.unset && (!said || said.value === spec.value);
    const filter: string | undefined = obj.spec?.ref?.semverFilter;
    return {
      cause,
      data: {
        object: show(obj),
        what,
        value,
        url: urlOf(obj) ?? 'the remote',
        field,
        setField: unset ? undefined : field,
        unsetDefault: unset ? `${spec!.what} ${spec!.value}` : undefined,
        range: filter ? `${value} (with semverFilter ${filter})` : value,
        path: c.data.path,
        list: listCommand(obj, what),
        where: whereToChange(graph, obj),
        reconcile: reconcileCmd(obj),
        describe: describeCmd(obj),
      },
      evidence: evidenceOf(c.signals),
      fixTarget: objRef(obj),
    };
  },
};
