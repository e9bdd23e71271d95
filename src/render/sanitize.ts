// Cluster-provided text is untrusted: strip terminal control sequences, bound its length.
// Applied to every finding the engine returns, so every front end gets clean text.

// CSI (ESC [ ... final), OSC (ESC ] ... BEL/ST), other ESC sequences, C1 CSI (0x9b).
const ANSI =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 controls except tab and newline, DEL, and C1 controls.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export const MAX_TEXT = 4000;

/** Remove terminal escape sequences and control characters; keep newlines and tabs. */
export function stripControl(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '');
}

/** Strip control sequences and bound the length. */
export function clean(text: unknown, max = MAX_TEXT): string {
  const s = stripControl(typeof text === 'string' ? text : String(text ?? ''));
  return s.length > max ? `${s.slice(0, max)}… (${s.length - max} more characters)` : s;
}

/** One line: newlines become spaces. */
export function cleanLine(text: unknown, max = MAX_TEXT): string {
  return clean(text, max).replace(/\s*\n\s*/g, ' ');
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}

/** Escape text for Markdown tables and inline use (pipes, backticks, HTML). */
export function escapeMarkdown(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|').replace(/`/g, "'");
}
