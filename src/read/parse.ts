// Decodes snapshot text: JSON documents, JSON lines, multi-document YAML streams and
// `kubectl get -o yaml` Lists. Every error names the file and line; what follows an error is still read.

import { CORE_SCHEMA, load } from 'js-yaml';
import type { ReadProblem } from '../types.js';

export interface DecodedDoc {
  // biome-ignore lint/suspicious/noExplicitAny: decoded documents are untyped
  value: any;
  /** 1-based line where the document starts. */
  line: number;
}

export interface DecodeResult {
  docs: DecodedDoc[];
  problems: ReadProblem[];
}

const MAX_PROBLEMS_PER_FILE = 50;

export function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

/** Decode a whole file's text. `source` names the file in problems. */
export function decodeText(text: string, source: string): DecodeResult {
  const problems: ReadProblem[] = [];
  const docs: DecodedDoc[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = body.search(/\S/);
  if (first < 0) {
    problems.push({ source, message: 'file is empty', partial: false });
    return { docs, problems };
  }
  const c = body[first];
  if (c === '{' || c === '[') {
    decodeJson(body, source, docs, problems);
  } else {
    decodeYamlStream(body, source, docs, problems);
  }
  if (problems.length > MAX_PROBLEMS_PER_FILE) {
    const more = problems.length - MAX_PROBLEMS_PER_FILE;
    problems.length = MAX_PROBLEMS_PER_FILE;
    problems.push({ source, message: `${more} more problems in this file not shown`, partial: true });
  }
  return { docs, problems };
}

function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function decodeJson(text: string, source: string, docs: DecodedDoc[], problems: ReadProblem[]): void {
  try {
    docs.push({ value: JSON.parse(text), line: 1 });
    return;
  } catch (err) {
    // Not one JSON document: try JSON lines (controller logs, `kubectl get -o json` concatenations per line).
    const lines = text.split('\n');
    let ok = 0;
    const lineProblems: ReadProblem[] = [];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!.trim();
      if (!l) continue;
      try {
        docs.push({ value: JSON.parse(l), line: i + 1 });
        ok++;
      } catch (e) {
        lineProblems.push({ source, line: i + 1, message: `invalid JSON: ${(e as Error).message}`, partial: true });
      }
    }
    if (ok > 0) {
      problems.push(...lineProblems);
      return;
    }
    const m = /position (\d+)/.exec((err as Error).message);
    problems.push({
      source,
      line: m ? lineAt(text, Number(m[1])) : undefined,
      message: `invalid JSON: ${(err as Error).message}`,
      partial: true,
    });
  }
}

interface Chunk {
  text: string;
  line: number; // 1-based line of chunk start
}

/** Split a YAML stream into documents at `---` / `...` markers at column 0. */
function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  const lines = text.split('\n');
  let start = 0;
  const flush = (end: number) => {
    if (end > start) {
      const t = lines.slice(start, end).join('\n');
      if (/\S/.test(t.replace(/^\s*#.*$/gm, ''))) chunks.push({ text: t, line: start + 1 });
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith('---') && (l.length === 3 || /^---\s/.test(l))) {
      flush(i);
      // `--- {inline}` keeps content on the marker line.
      const rest = l.slice(3).trim();
      if (rest && !rest.startsWith('#')) {
        lines[i] = rest;
        start = i;
      } else start = i + 1;
    } else if (l === '...' || l.startsWith('... ')) {
      flush(i);
      start = i + 1;
    }
  }
  flush(lines.length);
  return chunks;
}

function decodeYamlStream(text: string, source: string, docs: DecodedDoc[], problems: ReadProblem[]): void {
  for (const chunk of splitDocuments(text)) {
    const items = splitListItems(chunk);
    if (items) {
      for (const item of items) parseYamlChunk(item, source, docs, problems);
    } else {
      parseYamlChunk(chunk, source, docs, problems);
    }
  }
}

function parseYamlChunk(chunk: Chunk, source: string, docs: DecodedDoc[], problems: ReadProblem[]): void {
  try {
    // CORE_SCHEMA: no implicit timestamps or binary; json: duplicate keys take the last value, as kubectl does.
    docs.push({ value: load(chunk.text, { schema: CORE_SCHEMA, json: true, filename: source }), line: chunk.line });
  } catch (e) {
    const err = e as { mark?: { line?: number }; reason?: string; message: string };
    const line = chunk.line + (err.mark?.line ?? 0);
    problems.push({
      source,
      line,
      message: `invalid YAML: ${err.reason ?? err.message.split('\n')[0]}`,
      partial: true,
    });
  }
}

/**
 * Fast path for `kubectl get -o yaml` output: a `kind: List` document whose `items:` is a block
 * sequence. Each item is parsed on its own, so a 100 MB list never becomes one giant YAML tree and a
 * broken item loses only itself. Returns undefined when the document does not have that shape.
 */
function splitListItems(chunk: Chunk): Chunk[] | undefined {
  const text = chunk.text;
  if (text.length < 64 * 1024 || !/^items:\s*$/m.test(text) || !/^kind:\s*\S*List\s*$/m.test(text)) return undefined;
  const lines = text.split('\n');
  const itemsAt = lines.findIndex((l) => /^items:\s*$/.test(l));
  if (itemsAt < 0) return undefined;
  // The sequence indentation is that of the first entry.
  let first = itemsAt + 1;
  while (first < lines.length && /^\s*(#.*)?$/.test(lines[first]!)) first++;
  const m = /^( *)- /.exec(lines[first] ?? '') ?? /^( *)-$/.exec(lines[first] ?? '');
  if (!m) return undefined;
  const ind = m[1]!.length;
  const entry = new RegExp(`^ {${ind}}-( |$)`);
  const header: string[] = lines.slice(0, itemsAt);
  const out: Chunk[] = [];
  let cur: string[] | undefined;
  let curLine = 0;
  let i = first;
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (entry.test(l)) {
      if (cur) out.push({ text: cur.join('\n'), line: chunk.line + curLine });
      cur = [' '.repeat(ind + 2) + l.slice(ind + 2)];
      curLine = i;
      continue;
    }
    const lead = l.length - l.trimStart().length;
    if (l.trim() !== '' && lead <= ind && !l.trimStart().startsWith('#')) break; // end of the sequence
    cur?.push(l);
  }
  if (cur) out.push({ text: cur.join('\n'), line: chunk.line + curLine });
  // Dedent each item to column 0.
  const cut = ind + 2;
  for (const c of out) {
    c.text = c.text
      .split('\n')
      .map((l) => (l.slice(0, cut).trim() === '' ? l.slice(cut) : l))
      .join('\n');
  }
  // Anything after the sequence (kind: List, metadata) is ignored; the header must hold nothing but apiVersion.
  void header;
  return out;
}
