// Generates the Flux API knowledge base from the CRDs of the pinned Flux controllers:
//   src/kb/flux-api.json                    (the field trees `fluxdoctor explain Kind.path` reads)
//   docs/reference/flux-api-reference.md    (every kind, its top-level spec fields, its conditions)
//
//   npx tsx scripts/gen-api-reference.ts
//
// CRDs come from the Go module cache (`go mod download` of each controller at its pinned version,
// testenv/versions.ts). Condition types and reasons come from the controllers' api packages in
// /work/.mirror/<owner>+<repo>/repo when that mirror exists (their default branch, not the pin).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import type { FieldNode, FluxApi, KindApi } from '../src/kb/flux-api.js';
import { moduleInfo } from '../testenv/build.js';
import { VERSIONS } from '../testenv/versions.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_DEPTH = 7;
const MAX_DESC = 400;
const MIRROR = '/work/.mirror';

// biome-ignore lint/suspicious/noExplicitAny: walking untyped OpenAPI
type Schema = any;

function trimDesc(s: unknown): string | undefined {
  if (typeof s !== 'string' || !s.trim()) return undefined;
  const t = s.replace(/\s+/g, ' ').trim();
  if (t.length <= MAX_DESC) return t;
  const cut = t.slice(0, MAX_DESC);
  const dot = cut.lastIndexOf('. ');
  return dot > 200 ? cut.slice(0, dot + 1) : `${cut.trimEnd()}…`;
}

function typeOf(s: Schema): string {
  if (s['x-kubernetes-int-or-string']) return 'int-or-string';
  if (s['x-kubernetes-preserve-unknown-fields'] && !s.type) return 'any';
  if (s.type === 'array') return `[]${s.items ? typeOf(s.items) : 'any'}`;
  if (s.type === 'object' && !s.properties && s.additionalProperties)
    return `map[string]${typeOf(s.additionalProperties)}`;
  if (s.type === 'string' && s.format) return `string (${s.format})`;
  return s.type ?? 'any';
}

function node(s: Schema, depth: number, required: boolean): FieldNode {
  const n: FieldNode = { type: typeOf(s) };
  const d = trimDesc(s.description);
  if (d) n.description = d;
  if (s.default !== undefined) n.default = s.default;
  if (Array.isArray(s.enum)) n.enum = s.enum;
  if (required) n.required = true;
  // Children: an object's properties, an array's items' properties, a map's value properties.
  const inner = s.type === 'array' ? s.items : s.type === 'object' && !s.properties ? s.additionalProperties : s;
  if (inner && typeof inner === 'object' && inner.properties && depth < MAX_DEPTH) {
    const req = new Set<string>(inner.required ?? []);
    n.fields = {};
    for (const [k, v] of Object.entries(inner.properties)) n.fields[k] = node(v, depth + 1, req.has(k));
  } else if (inner?.properties) {
    n.truncated = true;
  }
  return n;
}

function readCrds(): KindApi[] {
  const kinds: KindApi[] = [];
  for (const [ctrl, version] of Object.entries(VERSIONS.controllers)) {
    const dir = join(moduleInfo(`github.com/fluxcd/${ctrl}`, version).Dir, 'config', 'crd', 'bases');
    for (const f of readdirSync(dir)
      .filter((x) => x.endsWith('.yaml'))
      .sort()) {
      const crd = load(readFileSync(join(dir, f), 'utf8')) as Schema;
      const k: KindApi = {
        kind: crd.spec.names.kind,
        group: crd.spec.group,
        plural: crd.spec.names.plural,
        shortNames: crd.spec.names.shortNames ?? [],
        controller: ctrl,
        controllerVersion: version,
        versions: {},
        conditions: [],
      };
      for (const v of crd.spec.versions) {
        if (!v.served) continue;
        const props = v.schema?.openAPIV3Schema?.properties ?? {};
        const req = new Set<string>(v.schema?.openAPIV3Schema?.required ?? []);
        k.versions[v.name] = {
          storage: v.storage === true,
          deprecated: v.deprecated === true || undefined,
          description: trimDesc(v.schema?.openAPIV3Schema?.description),
          spec: props.spec ? node(props.spec, 1, req.has('spec')) : undefined,
          status: props.status ? node(props.status, 1, false) : undefined,
        };
      }
      kinds.push(k);
    }
  }
  return kinds;
}

// ---------- conditions from the api packages ----------

interface GoConst {
  name: string;
  value: string;
  doc: string;
}

function goConsts(src: string): GoConst[] {
  const out: GoConst[] = [];
  const lines = src.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(\w+)\s+(?:string\s+)?=\s+"([^"]+)"/.exec(lines[i]!);
    if (!m) continue;
    const doc: string[] = [];
    for (let j = i - 1; j >= 0 && /^\s*\/\//.test(lines[j]!); j--) doc.unshift(lines[j]!.replace(/^\s*\/\/\s?/, ''));
    out.push({ name: m[1]!, value: m[2]!, doc: doc.join(' ') });
  }
  return out;
}

function gitShow(repo: string, path: string): string | undefined {
  try {
    return execFileSync('git', ['--git-dir', repo, 'show', `HEAD:${path}`], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
}

function mirrorConsts(ctrlRepo: string, files: string[]): GoConst[] {
  const repo = join(MIRROR, ctrlRepo, 'repo');
  if (!existsSync(repo)) return [];
  let all: string[] = [];
  try {
    all = execFileSync('git', ['--git-dir', repo, 'ls-tree', '-r', '--name-only', 'HEAD'], {
      encoding: 'utf8',
    }).split('\n');
  } catch {
    return [];
  }
  const out: GoConst[] = [];
  for (const f of all.filter((p) => files.some((want) => p === want || p.endsWith(`/${want}`)))) {
    const src = gitShow(repo, f);
    if (src) out.push(...goConsts(src));
  }
  return out;
}

const COMMON_CONDITIONS: { type: string; meaning: string }[] = [
  { type: 'Ready', meaning: 'the last reconciliation succeeded and the object is in its desired state' },
  { type: 'Reconciling', meaning: 'the controller is working on the object (new generation, retry, or progress)' },
  { type: 'Stalled', meaning: 'the controller gave up until the spec changes (a terminal error)' },
];

function addConditions(kinds: KindApi[]): void {
  const metaConsts = mirrorConsts('fluxcd+pkg', ['apis/meta/conditions.go']);
  const byCtrl = new Map<string, GoConst[]>();
  for (const ctrl of Object.keys(VERSIONS.controllers))
    byCtrl.set(ctrl, mirrorConsts(`fluxcd+${ctrl}`, ['condition_types.go']));
  const metaReasons = metaConsts.filter((c) => /Reason$/.test(c.name));
  for (const k of kinds) {
    const consts = byCtrl.get(k.controller) ?? [];
    const seen = new Set<string>();
    k.conditions = COMMON_CONDITIONS.map((c) => ({ type: c.type, description: c.meaning }));
    for (const c of consts.filter((x) => /Condition$/.test(x.name))) {
      if (seen.has(c.value) || COMMON_CONDITIONS.some((x) => x.type === c.value)) continue;
      seen.add(c.value);
      k.conditions.push({ type: c.value, description: trimDesc(c.doc) });
    }
    const reasons = new Map<string, string | undefined>();
    for (const c of [...consts.filter((x) => /Reason$/.test(x.name)), ...metaReasons])
      if (!reasons.has(c.value)) reasons.set(c.value, trimDesc(c.doc));
    k.reasons = [...reasons].map(([reason, description]) => ({ reason, description }));
  }
}

// ---------- Markdown ----------

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

function renderMd(api: FluxApi): string {
  const out: string[] = [];
  out.push('# Flux API reference');
  out.push('');
  out.push(
    `Generated by \`scripts/gen-api-reference.ts\` from the CRD schemas of Flux ${api.fluxVersion} (${Object.entries(
      api.controllers,
    )
      .map(([c, v]) => `${c} ${v}`)
      .join(', ')}). Every field, nested to any depth, is printed by \`fluxdoctor explain Kind.spec.path\`.`,
  );
  out.push('');
  for (const k of api.kinds) {
    const [ver, v] = Object.entries(k.versions).find(([, x]) => x.storage) ?? Object.entries(k.versions)[0]!;
    out.push(`## ${k.kind}`);
    out.push('');
    out.push(
      `\`${k.group}/${ver}\`, reconciled by ${k.controller}. Served versions: ${Object.keys(k.versions).join(', ')}.` +
        (k.shortNames.length ? ` Short names: ${k.shortNames.join(', ')}.` : ''),
    );
    if (v.description) out.push('', v.description);
    out.push('');
    const fields = Object.entries(v.spec?.fields ?? {});
    if (fields.length) {
      out.push(`### ${k.kind} spec fields`);
      out.push('');
      out.push('| field | type | default | description |');
      out.push('|---|---|---|---|');
      for (const [name, f] of fields) {
        const def = f.default !== undefined ? `\`${JSON.stringify(f.default)}\`` : '';
        const en = f.enum ? ` One of: ${f.enum.map((e) => `\`${e}\``).join(', ')}.` : '';
        out.push(
          `| \`${name}\`${f.required ? ' (required)' : ''} | ${mdEscape(f.type)} | ${mdEscape(def)} | ${mdEscape((f.description ?? '').slice(0, 240))}${mdEscape(en)} |`,
        );
      }
      out.push('');
    }
    out.push(`### ${k.kind} status conditions`);
    out.push('');
    for (const c of k.conditions) out.push(`- \`${c.type}\`${c.description ? `: ${c.description}` : ''}`);
    if (k.reasons?.length) {
      out.push('');
      out.push(`Reasons ${k.controller} sets on them: ${k.reasons.map((r) => `\`${r.reason}\``).join(', ')}.`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function main(): void {
  const kinds = readCrds();
  addConditions(kinds);
  kinds.sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind));
  const api: FluxApi = { fluxVersion: VERSIONS.flux, controllers: VERSIONS.controllers, kinds };
  mkdirSync(join(ROOT, 'src', 'kb'), { recursive: true });
  mkdirSync(join(ROOT, 'docs', 'reference'), { recursive: true });
  const json = JSON.stringify(api);
  writeFileSync(join(ROOT, 'src', 'kb', 'flux-api.json'), `${json}\n`);
  writeFileSync(join(ROOT, 'docs', 'reference', 'flux-api-reference.md'), renderMd(api));
  process.stderr.write(`wrote ${kinds.length} kinds, flux-api.json ${(json.length / 1024).toFixed(0)} KiB\n`);
}

main();
