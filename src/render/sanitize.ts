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

/** Escape text for Markdown tables and inline use (pipes, backticks, HTML); a quoted command keeps its characters. */
export function escapeMarkdown(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|').replace(/`/g, '\\`');
}

/**
 * Escape text for Markdown prose so that it renders exactly as written: HTML, and a backslash before
 * every character Markdown would read as formatting. Fix steps use it: a quoted command shows (and
 * copies) with the same characters it was printed with.
 */
export function escapeMarkdownText(text: string): string {
  return escapeHtml(text).replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}
