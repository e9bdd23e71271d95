// `fluxdoctor docs search QUERY`: offline ranked search (BM25, headings boosted) over the knowledge
// base: every section of docs/reference/*.md and every diagnosis code page.

import { readdirSync, readFileSync } from 'node:fs';
import { codePage } from '../rules/docs.js';
import { ALL_RULES } from '../rules/index.js';
import { PACKAGE_ROOT } from './flux-api.js';

export interface SearchHit {
  title: string;
  /** `docs/reference/<file>.md#<anchor>` or `code:<code>`. */
  source: string;
  score: number;
  excerpt: string;
}

interface Doc {
  title: string;
  source: string;
  text: string;
  tokens: Map<string, number>;
  length: number;
}

const STOP = new Set(
  'a an and are as at be by can do does for from has have how i in is it its my not of on or the this to was what when why with'.split(
    ' ',
  ),
);
const HEADING_WEIGHT = 4;
const K1 = 1.2;
const B = 0.75;

function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith('es') && !w.endsWith('ses')) return w.slice(0, -1).replace(/e$/, '');
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/** Lowercase word tokens, stop words dropped, lightly stemmed; `gitrepository` stays one word. */
export function tokenize(s: string): string[] {
  return (s.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !STOP.has(w)).map(stem);
}

export const DOCS_DIR = new URL('docs/reference/', PACKAGE_ROOT);

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replace(/\s+/g, '-');
}

/** Split a Markdown file into sections at `#`/`##`/`###` headings. */
export function splitSections(md: string, file: string): { title: string; source: string; text: string }[] {
  const out: { title: string; source: string; text: string }[] = [];
  let title = file;
  let body: string[] = [];
  const flush = () => {
    const text = body.join('\n').trim();
    if (text) out.push({ title, source: `docs/reference/${file}#${slug(title)}`, text });
  };
  for (const line of md.split('\n')) {
    const m = /^#{1,3}\s+(.*)$/.exec(line);
    if (m) {
      flush();
      title = m[1]!.trim();
      body = [];
    } else body.push(line);
  }
  flush();
  return out;
}

function makeDoc(title: string, source: string, text: string): Doc {
  const tokens = new Map<string, number>();
  const add = (t: string, w: number) => tokens.set(t, (tokens.get(t) ?? 0) + w);
  for (const t of tokenize(text)) add(t, 1);
  for (const t of tokenize(title)) add(t, HEADING_WEIGHT);
  let length = 0;
  for (const v of tokens.values()) length += v;
  return { title, source, text, tokens, length };
}

let index: { docs: Doc[]; df: Map<string, number>; avg: number } | undefined;

function buildIndex(): NonNullable<typeof index> {
  const docs: Doc[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(DOCS_DIR).filter((f) => f.endsWith('.md'));
  } catch {
    files = [];
  }
  for (const f of files.sort()) {
    const md = readFileSync(new URL(f, DOCS_DIR), 'utf8');
    for (const s of splitSections(md, f)) docs.push(makeDoc(s.title, s.source, s.text));
  }
  for (const r of ALL_RULES) docs.push(makeDoc(`${r.meta.code}: ${r.meta.title}`, `code:${r.meta.code}`, codePage(r)));
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.tokens.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const avg = docs.reduce((s, d) => s + d.length, 0) / Math.max(1, docs.length);
  return { docs, df, avg };
}

function excerptOf(text: string, terms: Set<string>, max = 240): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^\|?-+\|/.test(l));
  let best = lines[0] ?? '';
  let bestScore = -1;
  for (const l of lines) {
    const score = tokenize(l).filter((t) => terms.has(t)).length;
    if (score > bestScore) {
      best = l;
      bestScore = score;
    }
  }
  const one = best.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Ranked search of the knowledge base; best first. */
export function searchDocs(query: string, limit = 10): SearchHit[] {
  index ??= buildIndex();
  const { docs, df, avg } = index;
  const terms = [...new Set(tokenize(query))];
  if (!terms.length) return [];
  const n = docs.length;
  const hits: SearchHit[] = [];
  for (const d of docs) {
    let score = 0;
    for (const t of terms) {
      const tf = d.tokens.get(t);
      if (!tf) continue;
      const f = df.get(t) ?? 0;
      const idf = Math.log(1 + (n - f + 0.5) / (f + 0.5));
      score += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * d.length) / avg));
    }
    if (score > 0)
      hits.push({
        title: d.title,
        source: d.source,
        score: Math.round(score * 1000) / 1000,
        excerpt: excerptOf(d.text, new Set(terms)),
      });
  }
  hits.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title));
  return hits.slice(0, limit);
}
