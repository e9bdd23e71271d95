// A reader of Markdown inline text, as CommonMark and GFM read it, for tests: what a line renders
// to, its code spans, and every unescaped character outside a code span that could start markup
// somewhere the report is pasted (HTML, a link, emphasis, an entity, an autolink, a mention, a table
// cell break). Stricter than a renderer on purpose: "could start markup" is reported, so an inert
// text has no finding at all. No Markdown parser is a dependency of the project.

export interface Inline {
  /** The text as a reader sees it: escapes resolved, code spans as their content. */
  text: string;
  /** The content of every code span, in order. */
  spans: string[];
  /** Each construct outside code spans that could become markup: `kind@index: context`. */
  markup: string[];
}

const PUNCT = /[!-/:-@[-`{-~]/;
const NAME = /[\p{L}\p{N}]/u;
const ENTITY = /^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});/;

/** Read one line of inline Markdown. `cell`: it is a GFM table cell (`\|` is a pipe, `|` ends the cell). */
export function readInline(line: string, opts: { cell?: boolean } = {}): Inline {
  const markup: string[] = [];
  const spans: string[] = [];
  const flag = (kind: string, i: number) => markup.push(`${kind}@${i}: ${JSON.stringify(line.slice(i, i + 30))}`);
  let s = line;
  if (opts.cell) {
    for (let i = 0; i < s.length; i++) if (s[i] === '|' && s[i - 1] !== '\\') flag('pipe', i);
    s = s.replace(/\\\|/g, '|');
  }
  let text = '';
  let plain = ''; // the text outside code spans, for the URL and mention checks
  for (let i = 0; i < s.length; ) {
    const ch = s[i]!;
    if (ch === '\\' && PUNCT.test(s[i + 1] ?? '')) {
      text += s[i + 1];
      plain += ' '; // an escaped character breaks a URL or a mention
      i += 2;
      continue;
    }
    if (ch === '`') {
      const run = /^`+/.exec(s.slice(i))![0];
      // The closing run: the next backtick run of exactly the same length.
      let j = i + run.length;
      let close = -1;
      while (j < s.length) {
        const m = /`+/g;
        m.lastIndex = j;
        const r = m.exec(s);
        if (!r) break;
        if (r[0].length === run.length) {
          close = r.index;
          break;
        }
        j = r.index + r[0].length;
      }
      if (close < 0) {
        flag('unclosed-backticks', i);
        text += run;
        i += run.length;
        continue;
      }
      let content = s.slice(i + run.length, close);
      if (content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1);
      spans.push(content);
      text += content;
      plain += ' ';
      i = close + run.length;
      continue;
    }
    const prev = s[i - 1] ?? '';
    const next = s[i + 1] ?? '';
    if (ch === '<' && /[A-Za-z/!?]/.test(next)) flag('html-or-autolink', i);
    else if (ch === '[' || ch === ']') flag('link-bracket', i);
    else if (ch === '*' || ch === '~') flag('emphasis', i);
    else if (ch === '_' && !(NAME.test(prev) && NAME.test(next))) flag('emphasis', i);
    else if (ch === '&' && ENTITY.test(s.slice(i))) flag('entity', i);
    text += ch;
    plain += ch;
    i++;
  }
  // GFM autolinks bare URLs and e-mail addresses; GitHub and Slack turn `@name` into a mention.
  for (const m of plain.matchAll(/[a-z][a-z0-9+.-]*:\/\/|www\.|@|<[!@#]/gi)) flag('url-or-mention', m.index!);
  return { text, spans, markup };
}

/** A line's block-level marker when it starts a block: heading, quote, list item, rule. */
export function blockMarker(content: string): string | undefined {
  return /^(#{1,6}(?:\s|$)|>|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|(?:[-*_]\s*){3,}$|={3,}$| {4})/.exec(content)?.[0];
}

/** Split a GFM table row into its raw cells (a `|` preceded by a backslash does not split). */
export function tableCells(row: string): string[] {
  const inner = row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim());
}
