// Text rendering of the read-only views (get, stats, events, logs, trace, tree): tables with
// aligned columns and trees with box-drawing prefixes. Cell text must already be sanitised (the
// views return clean text); this only pads, truncates and colours.

import { dump } from 'js-yaml';
import { KINDS } from '../kinds/table.js';
import { objId } from '../signals/refs.js';
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

/** Code points that take no terminal column (combining marks, variation selectors, joiners). */
const ZERO_WIDTH = /^(?:\p{Mn}|\p{Me}|[\u200b-\u200f])$/u;
/** East Asian wide and fullwidth characters and emoji: two terminal columns. */
const WIDE =
  /^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]$/u;

const charWidth = (ch: string): number => (ZERO_WIDTH.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1);

/** The terminal columns plain text takes (wide characters count two, combining marks none). */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}

/** Truncate to `max` terminal columns with an ellipsis (never splitting a character). */
export function truncate(s: string, max: number): string {
  if (textWidth(s) <= max) return s;
  if (max <= 0) return '';
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch);
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

export interface Column {
  header: string;
  /** Longest cell before truncation (default: unbounded); ignored by a wide table. */
  max?: number;
  /**
   * The column may be cut (with an ellipsis) to fit the width: lower numbers are cut first. Columns
   * without it (namespaces, kinds, names) are never cut.
   */
  shrink?: number;
  /**
   * The narrowest a shrinking column is cut to before the next column is cut (default: its header's
   * width, at least 5); when every column is at its `min` and the line is still too wide, they are
   * cut again down to their header's width.
   */
  min?: number;
  /** Colour a cell (its plain text is used for the width). */
  paint?: (text: string, rowIndex: number) => string;
}

/** How a table is laid out: the terminal width it must fit, the header row, -o wide. */
export interface TableOptions {
  /** The width every line must fit by cutting the shrinking columns; undefined: no limit (a pipe). */
  width?: number;
  /** Print the header row (default true; false for --no-headers). */
  headers?: boolean;
  /** -o wide: nothing is truncated (`max` and `width` are ignored). */
  wide?: boolean;
}

/** The space between two columns (kubectl's). */
const GAP = 3;

/**
 * Columns aligned by their plain width; the last column is not padded. With a width, the shrinking
 * columns are cut (lowest `shrink` first, each to no less than its `min`) until every line fits;
 * when even that is not enough the lines stay longer: names are never cut.
 */
export function table(columns: Column[], rows: string[][], c: Colors, opts: TableOptions = {}): string {
  const wide = opts.wide === true;
  const headers = opts.headers !== false;
  let cells = rows.map((r) =>
    columns.map((col, i) => {
      const v = cleanLine(r[i] ?? '');
      return wide || col.max === undefined ? v : truncate(v, col.max);
    }),
  );
  const widths = columns.map((col, i) =>
    Math.max(headers ? textWidth(col.header) : 0, ...cells.map((r) => textWidth(r[i]!))),
  );
  const heads = columns.map((col) => col.header);
  if (!wide && opts.width !== undefined && opts.width > 0) {
    let over = widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, columns.length - 1) - opts.width;
    const order = columns
      .map((col, i) => ({ col, i }))
      .filter((x) => x.col.shrink !== undefined)
      .sort((a, b) => a.col.shrink! - b.col.shrink! || a.i - b.i);
    // First down to each column's `min`, then (when still too wide) down to its header's width.
    for (const hard of [false, true])
      for (const { col, i } of order) {
        if (over <= 0) break;
        const head = Math.max(textWidth(col.header), 1);
        const floor = Math.min(widths[i]!, hard ? Math.min(col.min ?? head, head) : (col.min ?? Math.max(head, 5)));
        const cut = Math.max(0, Math.min(over, widths[i]! - floor));
        widths[i]! -= cut;
        over -= cut;
      }
    cells = cells.map((r) => r.map((v, i) => truncate(v, widths[i]!)));
    heads.forEach((h, i) => {
      heads[i] = truncate(h, widths[i]!);
    });
  }
  const lines: string[] = [];
  const fmt = (vals: string[], paint: (v: string, i: number) => string) =>
    vals
      .map((v, i) => {
        const pad = i === vals.length - 1 ? '' : ' '.repeat(widths[i]! - textWidth(v) + GAP);
        return paint(v, i) + pad;
      })
      .join('')
      .trimEnd();
  if (headers) lines.push(fmt(heads, (v) => c.bold(v)));
  cells.forEach((r, ri) => {
    lines.push(fmt(r, (v, i) => (columns[i]?.paint && v ? columns[i]!.paint!(v, ri) : v)));
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
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

export const showRef = (r: ObjRef): string => cleanLine(objId(r), 500);

/**
 * An object as `kubectl get -o name` prints it: the lower-case kind and its API group, then the name
 * (`helmrelease.helm.toolkit.fluxcd.io/podinfo`, `configmap/values`); a target parseTarget accepts.
 */
export function kubectlName(kind: string, name: string): string {
  const k = KINDS.find((x) => x.kind === kind);
  const group = k?.group ? `.${k.group}` : '';
  return cleanLine(`${kind.toLowerCase()}${group}/${name}`, 500);
}

export function toJson(v: unknown): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}

export function toYaml(v: unknown): string {
  return dump(v, { lineWidth: -1, noRefs: true, skipInvalid: true });
}

export { colors };
