// kustomize.decryption-failed: SOPS decryption of the Kustomization's manifests failed: the
// decryption Secret is missing or holds no matching key, decryption is not configured for an
// encrypted Secret, or the encrypted file is damaged.

import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { clip, innermostCause, isFailing, knownMissing, signalFor } from '../signals/index.js';
import type { K8sObject, ObjRef } from '../types.js';
import type { Rule } from './types.js';
import { evidenceOf, reconcileCmd, show } from './util.js';

// The texts are catalogued in src/signals/patterns/kustomize-controller.ts (decryption-not-configured,
// decryption-secret-missing and -not-found, decryption-key-import-failed, sops-no-matching-key,
// sops-mac-mismatch, decryption-failed); a SOPS error wrapped in a build error is this code (innermost wins).
// kustomize-controller internal/controller/kustomization_controller.go (build): Ready=False BuildFailed with
//   "decryption failed for '<gvk>/<name>': <err>" (before v1.5.x/2025-11: "decryption failed for '<name>': <err>"),
//   "error decrypting sources: <err>"; ImportKeys returns the Secret's NotFound error as is (`secrets "<name>" not found`).
// internal/decryptor/decryptor.go: "failed to decrypt and format '<ns>/<name>' Secret data: <err>",
//   "cannot get sops data key: <sops error>", "error decrypting sops tree: ...",
//   "failed to verify sops data integrity: expected mac '<m>', got '<m>'",
//   "cannot get sops decryption Secret '<ns>/<name>': <err>", "failed to import '<key>' data from sops decryption Secret '<ns>/<name>': <err>".
// apply: "<Kind>/<ns>/<name> is SOPS encrypted, configuring decryption is required for this secret to be reconciled"
//   (Ready=False ReconciliationFailed).
// sops' "Input string <value> does not match sops' data format" quotes the (possibly secret) value: never repeat it.
const redact = (t: string) =>
  t.replace(
    /Input string .*? does not match sops' data format/g,
    "Input string <redacted> does not match sops' data format",
  );

const KEY_NAMES = [
  /\.agekey$/,
  /\.asc$/,
  /^sops\.vault-token$/,
  /^sops\.aws-kms$/,
  /^sops\.azure-kv$/,
  /^sops\.gcp-kms$/,
];

function decryptionSecret(obj: K8sObject): ObjRef | undefined {
  const name = obj.spec?.decryption?.secretRef?.name;
  return typeof name === 'string' && name ? { kind: 'Secret', namespace: obj.metadata.namespace, name } : undefined;
}

/** The encrypted object a message names: Secret default/foo-token. */
function encryptedObject(text: string): string | undefined {
  const f = /failed to decrypt and format '([^']+)' (\w+) (?:data|Secret field '([^']+)')/.exec(text);
  if (f) {
    const [ns, name] = f[1]!.includes('/') ? f[1]!.split('/') : ['', f[1]!];
    const kind = f[2] === 'Secret' || f[3] ? 'Secret' : f[2]!;
    return `${kind} ${ns ? `${ns}/` : ''}${name}${f[3] ? ` (key ${f[3]})` : ''}`;
  }
  const d = /decryption failed for '(?:[^'/]*_(\w+)\/)?([^']+)'/.exec(text);
  if (d) return `${d[1] ?? 'object'} ${d[2]}`;
  const s = /([A-Z]\w*)\/([^\s/]+)\/([^\s/]+) is SOPS encryp?ted/.exec(text);
  if (s) return `${s[1]} ${s[2]}/${s[3]}`;
  return undefined;
}

export const rule: Rule = {
  meta: {
    code: 'kustomize.decryption-failed',
    severity: 'error',
    title: 'SOPS decryption failed',
    kinds: ['Kustomization'],
    overrides: ['kustomize.build-failed', 'kustomize.validation-failed'],
    messages: {
      'decryption-not-configured': {
        summary: '{object} applies {target} but has no spec.decryption, so the Secret would be applied still encrypted',
      },
      'decryption-secret-missing': {
        summary: '{object} cannot decrypt its manifests: the decryption Secret {secret} ({field}) does not exist',
      },
      'decryption-key-invalid': {
        summary:
          "{object} cannot decrypt its manifests: key '{key}' in decryption Secret {secret} is not a valid key: {error}",
      },
      'no-matching-key': { summary: '{object} cannot decrypt {target}: no available key can open it — {keyNote}' },
      'mac-mismatch': {
        summary: "{object} cannot decrypt {target}: the file's MAC does not match, it was changed without sops",
      },
      'decryption-error': { summary: '{object} cannot decrypt {target}: {error}' },
    },
  },
  check(obj, { graph }) {
    if (!isFailing(obj, graph)) return undefined;
    const c = signalFor(obj, graph, rule.meta.code);
    if (!c) return undefined;
    const text = c.signal.text;
    const secretRef = decryptionSecret(obj);
    const ks = { kind: 'Kustomization', namespace: obj.metadata.namespace, name: obj.metadata.name };
    const final = reconcileCmd(obj, true);
    const evidence = evidenceOf(c.signals).map((e) => ({ ...e, text: redact(e.text) }));
    const target = encryptedObject(text);
    const secretObj = secretRef ? graph.get(secretRef) : undefined;
    const keys: string[] = Array.isArray(secretObj?.dataKeys) ? secretObj!.dataKeys : [];
    const usable = keys.filter((k) => KEY_NAMES.some((re) => re.test(k)));
    const createAge = (ref: ObjRef) =>
      `kubectl create secret generic ${shq(ref.name)}${nsArg(ref.namespace)} --from-file=age.agekey=<path to the age private key>`;
    const base = { object: show(obj), target: target ?? 'an encrypted manifest' };

    if (c.cause === 'decryption-not-configured') {
      return {
        cause: c.cause,
        data: { ...base, target: target ?? 'a SOPS-encrypted Secret' },
        evidence,
        fixTarget: ks,
        remediation: [
          ...changeInGit(
            graph,
            obj,
            `add decryption to ${show(obj)}: spec.decryption: {provider: sops, secretRef: {name: sops-age}} (a Secret in namespace ${obj.metadata.namespace} holding the private key)`,
          ),
          'Or, if the object must be applied as is, annotate it with kustomize.toolkit.fluxcd.io/decrypt: disabled',
          final,
        ],
      };
    }

    // The bare NotFound is the decryptor's only when decryption is configured (ImportKeys returns early otherwise).
    if (c.pattern?.id === 'kustomize-controller/decryption-secret-not-found' && !obj.spec?.decryption) return undefined;
    if (c.cause === 'decryption-secret-missing') {
      // The named Secret: spec.decryption.secretRef, or the controller-wide --sops-age-secret.
      const named = c.data.secret ?? c.data.name;
      const [nsPart, namePart] = named?.includes('/') ? named.split('/') : [obj.metadata.namespace, named];
      const ref: ObjRef =
        secretRef && (!namePart || namePart === secretRef.name)
          ? secretRef
          : { kind: 'Secret', namespace: nsPart, name: namePart ?? 'sops-age' };
      const own = secretRef !== undefined && ref.name === secretRef.name;
      return {
        cause: c.cause,
        data: {
          ...base,
          secret: `${ref.namespace}/${ref.name}`,
          field: own ? 'spec.decryption.secretRef' : "kustomize-controller's --sops-age-secret",
        },
        evidence,
        fixTarget: ref,
        remediation: [
          ...titled(
            'Create the Secret with the private key (for PGP: --from-file=sops.asc=<exported PGP key>)',
            createAge(ref),
          ),
          ...(own
            ? changeInGit(graph, obj, `fix spec.decryption.secretRef.name of ${show(obj)}`, {
                when: 'or, if the Secret has another name',
              })
            : []),
          final,
        ],
      };
    }

    if (c.cause === 'decryption-key-invalid') {
      const key = c.data.key ?? 'the key';
      const secret =
        c.data.secret ?? (secretRef ? `${secretRef.namespace}/${secretRef.name}` : 'the decryption Secret');
      return {
        cause: c.cause,
        data: { ...base, key, secret, error: clip(innermostCause(text), 160) },
        evidence,
        fixTarget: secretRef,
        remediation: [
          ...(secretRef
            ? titled(`Replace key '${key}' of Secret ${secret} with a valid private key`, createAge(secretRef))
            : [`Replace key '${key}' of Secret ${secret} with a valid private key`]),
          final,
        ],
      };
    }

    if (c.cause === 'no-matching-key') {
      const keyNote = !secretRef
        ? 'spec.decryption has no secretRef, so only the controller-wide key (if any) or workload identity was tried'
        : !secretObj
          ? knownMissing(graph, secretRef)
            ? `the decryption Secret ${secretRef.namespace}/${secretRef.name} does not exist`
            : `the decryption Secret ${secretRef.namespace}/${secretRef.name} was not in what fluxdoctor read`
          : usable.length === 0
            ? `decryption Secret ${secretRef.namespace}/${secretRef.name} has no key kustomize-controller recognises (names ending in .agekey or .asc, or sops.vault-token, sops.aws-kms, sops.azure-kv, sops.gcp-kms); its keys: ${keys.join(', ') || 'none'}`
            : `none of the keys in decryption Secret ${secretRef.namespace}/${secretRef.name} (${usable.join(', ')}) is a recipient of the file`;
      return {
        cause: c.cause,
        data: { ...base, keyNote, provider: c.data.provider },
        evidence,
        fixTarget: secretRef ?? ks,
        remediation: [
          ...(secretRef
            ? titled(
                `Put the private key of a recipient listed in the file's sops metadata into Secret ${secretRef.namespace}/${secretRef.name}`,
                createAge(secretRef),
              )
            : changeInGit(
                graph,
                obj,
                `add spec.decryption.secretRef to ${show(obj)} naming a Secret with the private key`,
              )),
          ...titled(
            "Or re-encrypt the file for the cluster's public key (listed in .sops.yaml)",
            'sops updatekeys <file>',
          ),
          final,
        ],
      };
    }

    if (c.cause === 'mac-mismatch') {
      return {
        cause: c.cause,
        data: base,
        evidence,
        fixTarget: secretRef,
        remediation: [
          'Re-create the encrypted file with sops (sops --encrypt, or edit it with sops <file>), commit and push it',
          final,
        ],
      };
    }

    return {
      cause: 'decryption-error',
      data: { ...base, target: target ?? 'its manifests', error: clip(redact(innermostCause(text)), 220) },
      evidence,
      fixTarget: secretRef,
      remediation: [
        ...titled('Check that the file decrypts locally with the same key', 'sops --decrypt <file> > /dev/null'),
        ...(secretRef
          ? titled(
              `Check the keys of Secret ${secretRef.namespace}/${secretRef.name}`,
              `kubectl get secret ${shq(secretRef.name)}${nsArg(secretRef.namespace)} -o jsonpath={.data} | jq keys`,
            )
          : []),
        final,
      ],
    };
  },
};
