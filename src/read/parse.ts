// Decodes snapshot text: JSON documents, JSON lines, multi-document YAML streams and
// `kubectl get -o yaml` Lists. Every error names the file and line; what follows an error is still read.

import { CORE_SCHEMA, load } from 'js-yaml';
import type { ReadProblem } from '../types.js';
import { boundDocument } from './bounds.js';

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
    const value = JSON.parse(text);
    admit(value, 1, text, false, source, docs, problems);
    return;
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    // Not one JSON document: try JSON lines (controller logs, `kubectl get -o json` concatenations per line).
    const lines = text.split('\n');
    let ok = 0;
    const lineProblems: ReadProblem[] = [];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!.trim();
      if (!l) continue;
      let value: unknown;
      try {
        value = JSON.parse(l);
      } catch (e) {
        lineProblems.push({
          source,
          line: i + 1,
          message: `invalid JSON: ${jsonReason(e as Error, l)}`,
          partial: true,
        });
        continue;
      }
      ok++;
      admit(value, i + 1, l, false, source, docs, lineProblems);
    }
    if (ok > 0) {
      problems.push(...lineProblems);
      return;
    }
    const m = /^[^"]* in JSON at position (\d+)/.exec((err as Error).message);
    problems.push({
      source,
      line: m ? lineAt(text, Number(m[1])) : undefined,
      message: `invalid JSON: ${jsonReason(err as Error, text)}`,
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
  let value: unknown;
  try {
    // CORE_SCHEMA: no implicit timestamps or binary; json: duplicate keys take the last value, as kubectl does.
    // maxDepth: js-yaml recurses per nesting level; it refuses deeper documents itself.
    value = load(chunk.text, { schema: CORE_SCHEMA, json: true, filename: source, maxDepth: MAX_DEPTH } as never);
  } catch (e) {
    if (e instanceof RangeError) {
      // The parser ran out of stack (nesting deeper than it can follow): this document is lost, the rest is read.
      problems.push({ source, line: chunk.line, message: 'invalid YAML: nesting too deep to parse', partial: true });
      return;
    }
    const err = e as { mark?: { line?: number; column?: number }; reason?: string; message?: string };
    if (typeof err.reason !== 'string' && !(e instanceof Error)) throw e;
    const line = chunk.line + (err.mark?.line ?? 0);
    const column = err.mark?.column !== undefined ? ` (column ${err.mark.column + 1})` : '';
    problems.push({
      source,
      line,
      message: `invalid YAML${column}: ${yamlReason(err.reason)}`,
      partial: true,
    });
    return;
  }
  admit(value, chunk.line, chunk.text, true, source, docs, problems);
}

/** How deep a document may nest (objects and arrays); deeper parts are dropped with a problem. */
export const MAX_DEPTH = 200;

/** Keep a decoded document, bounded: aliases may not expand it past its budget, nesting is limited. */
function admit(
  value: unknown,
  line: number,
  text: string,
  yaml: boolean,
  source: string,
  docs: DecodedDoc[],
  problems: ReadProblem[],
): void {
  // Fast paths (the walk costs about as much as the parse): YAML without an alias shares no node and
  // js-yaml bounded its depth; JSON whose brackets nest no deeper than the limit is within bounds.
  if (yaml ? !text.includes('*') : jsonDepthWithin(text, MAX_DEPTH)) {
    docs.push({ value, line });
    return;
  }
  const r = boundDocument(value, {
    shared: yaml,
    budget: yaml ? 2 * text.length + ALIAS_ALLOWANCE : Number.POSITIVE_INFINITY,
    maxDepth: MAX_DEPTH,
  });
  for (const d of r.dropped)
    problems.push({
      source,
      line,
      message: `${d.path ? `${d.path}: ` : ''}${d.reason}: ${d.path ? 'dropped' : 'document skipped'}`,
      partial: true,
    });
  if (r.kept) docs.push({ value: r.value, line });
}

/** Whether the brackets of (valid) JSON text nest at most `max` deep. */
function jsonDepthWithin(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string, with its escapes.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return false;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return true;
}

/** How many units (characters, nodes) YAML aliases may add to a document beyond the size of its text. */
export const ALIAS_ALLOWANCE = 1_000_000;

// Error texts name the file, line and column, never the content: JSON.parse quotes the text around the
// error (`Unexpected token 'x', "…" is not valid JSON`), js-yaml quotes tags, aliases and directives.
const JSON_REASONS: [RegExp, string][] = [
  [/^Unexpected end of JSON input/, 'unexpected end of input'],
  [/^Unterminated string in JSON/, 'unterminated string'],
  [/^Bad control character in string literal/, 'control character in a string'],
  [/^Bad escaped character/, 'bad escape sequence in a string'],
  [/^Bad Unicode escape/, 'bad Unicode escape in a string'],
  [/^Unexpected non-whitespace character after JSON/, 'text after the end of the JSON value'],
  [/^Expected property name or '}'/, "expected a property name or '}'"],
  [/^Expected double-quoted property name/, 'expected a double-quoted property name'],
  [/^Expected ',' or '}' after property value/, "expected ',' or '}' after a property value"],
  [/^Expected ',' or ']' after array element/, "expected ',' or ']' after an array element"],
  [/^Expected ':' after property name/, "expected ':' after a property name"],
  [/^Exponent part is missing a number/, 'a number with an empty exponent'],
  [/^Unterminated fractional number/, 'a number with an empty fraction'],
  [/^No number after minus sign/, "a '-' without a number"],
  [/^Unexpected number/, 'unexpected number'],
  [/^Unexpected string/, 'unexpected string'],
  [/^Unexpected token/, 'unexpected character'],
];

export function jsonReason(err: Error, text: string): string {
  const msg = err.message;
  const reason = JSON_REASONS.find(([re]) => re.test(msg))?.[1] ?? 'syntax error';
  const m = /^[^"]* in JSON at position (\d+)/.exec(msg);
  if (!m) return reason;
  const pos = Number(m[1]);
  return `${reason} (line ${lineAt(text, pos)}, column ${pos - text.lastIndexOf('\n', pos - 1)})`;
}

export function yamlReason(reason: string | undefined): string {
  if (typeof reason !== 'string' || !reason) return 'syntax error';
  // js-yaml names grammar tokens as '<block end>'; everything quoted, tagged or after a colon is content.
  const r = reason.replace(/'(<[a-z ]+>)'/g, '$1');
  const cut = r.search(/["'`\\]|!<|:\s|:$/);
  const kept = (cut < 0 ? r : r.slice(0, cut))
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, 120);
  return kept || 'syntax error';
}

/**
 * Fast path for `kubectl get -o yaml` output: a `kind: List` document whose `items:` is a block
 * sequence. Each item is parsed on its own, so a 100 MB list never becomes one giant YAML tree and a
 * broken item loses only itself. Returns undefined when the document does not have that shape.
 */
function splitListItems(chunk: Chunk): Chunk[] | undefined {
  const text = chunk.text;
  if (text.length < 64 * 1024 || !/^items:\s*$/m.test(text) || !/^kind:\s*\S*List\s*$/m.test(text)) return undefined;
  // An anchor (`&name`, used by a later `*name`) may be defined in one item and used in another:
  // split items would no longer see it. kubectl never writes anchors; such a file is parsed whole
  // (the alias and size bounds of bounds.ts still apply).
  if (/(?:^|[\s:[,{-])&[^\s,[\]{}]+/m.test(text)) return undefined;
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
