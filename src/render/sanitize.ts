// Cluster-provided text is untrusted: strip terminal control sequences, make invisible characters
// visible, bound its length. Applied to every finding the engine returns and every view row, and
// again to everything the CLI writes (safeOutput), so every front end gets clean text.

import { hasUnsafe, UNSAFE_STEP } from './shell.js';

// CSI (ESC [ ... final), OSC (ESC ] ... BEL/ST), other ESC sequences, C1 CSI (0x9b).
const ANSI =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 controls except tab and newline, DEL, and C1 controls (U+0085 NEL included).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Unicode format characters (bidi controls U+061C, U+200E/F, U+202A–E, U+2066–9; zero-width
// U+200B–D, U+2060, U+FEFF; soft hyphen, tags, …) and line/paragraph separators U+2028/U+2029:
// they reorder or hide text on screen, or break lines where the reader sees none.
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}]/gu;

export const MAX_TEXT = 4000;

const visible = (ch: string): string => `<U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`;

/** Remove terminal escape sequences and control characters, show invisible characters as `<U+XXXX>`; keep newlines and tabs. */
export function stripControl(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '').replace(INVISIBLE, visible);
}

/** Strip control sequences and bound the length. A text with a value that could not be shell-quoted becomes UNSAFE_STEP. */
export function clean(text: unknown, max = MAX_TEXT): string {
  const raw = typeof text === 'string' ? text : String(text ?? '');
  if (hasUnsafe(raw)) return UNSAFE_STEP;
  const s = stripControl(raw);
  return s.length > max ? `${s.slice(0, max)}… (${s.length - max} more characters)` : s;
}

/** One line: newlines (and tabs around them) become one space. */
export function cleanLine(text: unknown, max = MAX_TEXT): string {
  return clean(text, max).replace(/\s*\n\s*/g, ' ');
}

// Our own escape sequences, the only ones that may reach a terminal: the SGR colours of
// render/color.ts and the progress line's `\r ESC[2K`.
const OWN = /\r\u001b\[2K|\u001b\[(?:0|1|2|22|3[0-9]|90)m/y;

/**
 * The last filter before a byte reaches stdout or stderr: keeps our own colour and progress
 * sequences, newlines and tabs; removes every other escape sequence and control character; shows
 * bidi, zero-width and separator characters as `<U+XXXX>`.
 */
export function safeOutput(text: string): string {
  let out = '';
  let i = 0;
  let plainFrom = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x1b || ch === 0x0d) {
      OWN.lastIndex = i;
      const m = OWN.exec(text);
      if (m) {
        out += stripControl(text.slice(plainFrom, i)) + m[0];
        i += m[0].length;
        plainFrom = i;
        continue;
      }
    }
    i++;
  }
  return out + stripControl(text.slice(plainFrom));
}

/** A stream whose every write goes through safeOutput (isTTY and columns pass through). */
export function safeStream<T extends { write(s: string): unknown; isTTY?: boolean }>(stream: T): T {
  return new Proxy(stream, {
    get(target, prop, receiver) {
      // Extra arguments (encoding, callback) pass through; only the text is filtered.
      if (prop === 'write')
        return (s: unknown, ...rest: unknown[]) =>
          (target.write as (...a: unknown[]) => unknown).call(target, safeOutput(String(s)), ...rest);
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}

// ---------- Markdown (GitHub, Jira, Slack) ----------
//
// Cluster text in a Markdown report must render as the text it is: no HTML, no link, no emphasis,
// no mention, no broken table or code span. Plain text is never HTML-escaped (an `&#39;` shows as
// such where the page is pasted as text, in Slack and Jira); Markdown is escaped with backslashes,
// only where a character could start markup. Commands, and tokens that a target would turn into a
// link or a notification (URLs, `user@host`, `@here`, Slack's `<!channel>`), go in code spans, whose
// content every target shows as it is.

/** The longest run of backticks in a text (0 when none). */
function longestBacktickRun(text: string): number {
  let max = 0;
  for (const m of text.matchAll(/`+/g)) max = Math.max(max, m[0].length);
  return max;
}

/**
 * A Markdown code span showing `text` as it is (one line): a backtick fence longer than any run of
 * backticks inside it, and a space on each side when the content starts or ends with a backtick or
 * with spaces on both ends (CommonMark strips one such pair).
 */
export function mdCode(text: string): string {
  const s = cleanLine(text);
  if (s === '') return '';
  const fence = '`'.repeat(longestBacktickRun(s) + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || (s.startsWith(' ') && s.endsWith(' ') && s.trim() !== '');
  return pad ? `${fence} ${s} ${fence}` : `${fence}${s}${fence}`;
}

/** A fenced code block of `lines` (each cleaned), with a fence longer than any backtick run in them. */
export function mdFence(lines: string[], info = ''): string[] {
  const body = lines.map((l) => cleanLine(l));
  const fence = '`'.repeat(Math.max(3, ...body.map((l) => longestBacktickRun(l) + 1)));
  return [`${fence}${info}`, ...body, fence];
}

// A token a target would link or turn into a notification: a URL (`scheme://`, `www.`), anything
// with `@` (mentions, e-mail autolinks, `git@host:`), Slack's `<!here>`, `<@U123>`, `<#C123>`.
const LINKY = /:\/\/|www\.|@|^<[!@#]/i;
const NAME_CHAR = /[\p{L}\p{N}]/u;

/** Backslash-escape the characters of one plain-text piece that could start inline markup. */
function escapeInline(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const prev = s[i - 1] ?? '';
    const next = s[i + 1] ?? '';
    if ('`*[]<~'.includes(ch)) out += `\\${ch}`;
    // An underscore between two letters or digits never opens or closes emphasis (snake_case stays).
    else if (ch === '_') out += NAME_CHAR.test(prev) && NAME_CHAR.test(next) ? ch : '\\_';
    // A backslash is literal unless punctuation follows.
    else if (ch === '\\') out += /[!-/:-@[-`{-~]/.test(next) ? '\\\\' : ch;
    // `&quot;` or `&#39;` in cluster text shows as written, not as the character it names.
    else if (ch === '&')
      out += /^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});/.test(s.slice(i)) ? '\\&' : ch;
    else out += ch;
  }
  return out;
}

export interface MdTextOptions {
  /** The text starts a block (a paragraph, a list item): a heading, quote, list or rule marker is escaped. */
  block?: boolean;
  /** The text sits in a table cell: every `|` is escaped (inside code spans too, as GFM tables read them). */
  cell?: boolean;
  /** Bound on the length (default MAX_TEXT). */
  max?: number;
}

/**
 * Untrusted (or any plain) text as Markdown that renders as the same text on one line: backslash
 * escapes only where markup could start, URL-, mention- and `@`-tokens in code spans, no HTML entity.
 */
export function mdText(text: unknown, opts: MdTextOptions = {}): string {
  const s = cleanLine(text, opts.max).trim();
  let out = '';
  for (const part of s.split(/(\s+)/)) {
    if (part === '' || /^\s+$/.test(part)) {
      out += part;
      continue;
    }
    if (LINKY.test(part)) {
      // Punctuation around a URL (`(https://…)`, `"https://…":`) stays outside its code span.
      const m = /^([("'[]*)(.*?)([.,;:!?)\]"']*)$/.exec(part)!;
      const core = LINKY.test(m[2]!) ? m[2]! : '';
      out += core ? escapeInline(m[1]!) + mdCode(core) + escapeInline(m[3]!) : mdCode(part);
      continue;
    }
    out += escapeInline(part);
  }
  if (opts.block) {
    // `# x`, `> x`, `- x`, `+ x`, `1. x`, `1) x`, `===`, `---`: escape the marker.
    out = out.replace(/^(#{1,6}(?=\s|$)|>|[-+=](?=\s|$|[-=]))/, '\\$1').replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
  }
  // A trailing ` ##` would be read as the closing sequence of a heading the text sits in.
  out = out.replace(/(\s)(#+)$/, '$1\\$2');
  if (opts.cell) out = out.replace(/\|/g, '\\|');
  return out;
}
