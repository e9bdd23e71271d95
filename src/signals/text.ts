// Durations, times and text clipping: one implementation each, for every rule and view.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|μs|ms|s|m|h))+$/;
const GO_DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/g;
// `--since 1d`: the Go units plus days, as the command line accepts them.
const DURATION_WITH_DAYS = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|μs|ms|s|m|h|d))+$/;
const DURATION_WITH_DAYS_PART = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h|d)/g;

/**
 * A Go duration (`5m0s`, `1h`, `90s`, `1.5h`, `0`) in milliseconds, as metav1.Duration and
 * time.ParseDuration accept it (with `days`, also `1d`, as `--since` takes it); anything else (a number without unit, `5 minutes`, a wrong type) is undefined.
 */
export function parseDuration(v: unknown, opts: { days?: boolean } = {}): number | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === '0') return 0;
  const whole = opts.days ? DURATION_WITH_DAYS : GO_DURATION;
  if (!whole.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(opts.days ? DURATION_WITH_DAYS_PART : GO_DURATION_PART))
    total += Number(m[1]) * (m[2] === 'd' ? 86_400_000 : UNIT_MS[m[2]!]!);
  return total;
}

/** `parseDuration`, or `fallbackMs` when the value is absent or not a Go duration. */
export function durationOr(v: unknown, fallbackMs: number): number {
  return parseDuration(v) ?? fallbackMs;
}

/** `90000` → `1m30s` (Go's shape without the zero parts). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
}

/** A timestamp (RFC 3339, or Unix seconds as `date +%s` writes them) in epoch milliseconds. */
export function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string' || !v) return undefined;
  if (/^\d{9,11}$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** Human age as kubectl prints it: `45m`, `3h12m`, `2d4h`. */
export function age(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 60) return `${Math.max(min, 0)}m`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h}h${min % 60 ? `${min % 60}m` : ''}`;
  return `${Math.floor(h / 24)}d${h % 24 ? `${h % 24}h` : ''}`;
}

/** Evidence texts are kept whole up to this many characters. */
export const MAX_EVIDENCE_TEXT = 2000;

/** Keep a text to `max` characters, saying how much was cut (for evidence). */
export function bound(text: string, max = MAX_EVIDENCE_TEXT): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

/** The first non-empty line of a (possibly multi-line) message, trimmed and cut to `max` (for summaries). */
export function firstLine(text: string, max = 300): string {
  const t = (text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** A message on one line (runs of white space collapsed), cut to `max` (for summaries). */
export function clip(text: string, max = 300): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** The innermost cause of a wrapped Go error message (`a: b: dial tcp …: connection refused`), from its first line. */
export function innermostCause(text: string): string {
  const line = firstLine(text, Number.POSITIVE_INFINITY);
  const m = /(dial tcp .+|lookup \S+ .+|x509: .+|tls: .+)$/.exec(line);
  if (m) return m[1]!;
  return line.split(': ').slice(-2).join(': ');
}
