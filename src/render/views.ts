// Text rendering of the read-only views (get, stats, events, logs, trace, tree): tables with
// aligned columns and trees with box-drawing prefixes. Cell text must already be sanitised (the
// views return clean text); this only pads, truncates and colours.

import { dump } from 'js-yaml';
import type { ObjRef } from '../types.js';
import { type Colors, colors } from './color.js';
import { cleanLine } from './sanitize.js';

export const STATE_COLOR: Record<string, Exclude<keyof Colors, 'enabled'>> = {
  Failed: 'red',
  Waiting: 'yellow',
  Progressing: 'cyan',
  Suspended: 'yellow',
  Unknown: 'gray',
  NotRead: 'gray',
  Ready: 'green',
  Static: 'gray',
};

export function paintState(c: Colors, state: string, text = state): string {
  return c[STATE_COLOR[state] ?? 'gray'](text);
}

/** Truncate to `max` characters with an ellipsis. */
export function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, Math.max(0, max - 1))}…` : s;
}

export interface Column {
  header: string;
  /** Longest cell before truncation (default: unbounded). */
  max?: number;
  /** Colour a cell (its plain text is used for the width). */
  paint?: (text: string, rowIndex: number) => string;
}

/** Columns aligned by their plain width; the last column is not padded. */
export function table(columns: Column[], rows: string[][], c: Colors): string {
  const cells = rows.map((r) => r.map((v, i) => truncate(cleanLine(v ?? ''), columns[i]?.max ?? 100_000)));
  const widths = columns.map((col, i) => Math.max(col.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const lines: string[] = [];
  const fmt = (vals: string[], paint: (v: string, i: number) => string) =>
    vals
      .map((v, i) => {
        const pad = i === vals.length - 1 ? '' : ' '.repeat(widths[i]! - v.length + 3);
        return paint(v, i) + pad;
      })
      .join('')
      .trimEnd();
  lines.push(
    fmt(
      columns.map((col) => col.header),
      (v) => c.bold(v),
    ),
  );
  cells.forEach((r, ri) => {
    lines.push(fmt(r, (v, i) => (columns[i]?.paint && v ? columns[i]!.paint!(v, ri) : v)));
  });
  return `${lines.join('\n')}\n`;
}

export interface TreeLine {
  depth: number;
  last: boolean;
  text: string;
  /** Lines under this one, indented with the tree's continuation prefix. */
  more?: string[];
}

/** Box-drawing tree (the style of the diagnosis impact tree). */
export function drawLines(lines: TreeLine[]): string[] {
  const out: string[] = [];
  const open: boolean[] = [];
  for (const l of lines) {
    open.length = l.depth;
    let prefix = '';
    for (let d = 1; d < l.depth; d++) prefix += open[d] ? '│  ' : '   ';
    open[l.depth] = !l.last;
    out.push(prefix + (l.depth > 0 ? (l.last ? '└─ ' : '├─ ') : '') + l.text);
    if (l.more?.length) {
      let cont = prefix;
      if (l.depth > 0) cont += l.last ? '   ' : '│  ';
      for (const m of l.more) out.push(`${cont}${m}`);
    }
  }
  return out;
}

/** Flatten a nested structure into tree lines (depth-first, children in order). */
export function flatten<T>(
  root: T,
  kids: (n: T) => T[],
  text: (n: T) => string,
  more?: (n: T) => string[],
): TreeLine[] {
  const out: TreeLine[] = [];
  const walk = (n: T, depth: number, last: boolean) => {
    out.push({ depth, last, text: text(n), more: more?.(n) });
    const ks = kids(n);
    ks.forEach((k, i) => {
      walk(k, depth + 1, i === ks.length - 1);
    });
  };
  walk(root, 0, true);
  return out;
}

export const showRef = (r: ObjRef): string =>
  cleanLine(r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`, 500);

export function toJson(v: unknown): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}

export function toYaml(v: unknown): string {
  return dump(v, { lineWidth: -1, noRefs: true, skipInvalid: true });
}

export { colors };
