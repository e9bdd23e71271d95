// Shell quoting for every command fluxdoctor prints. Cluster values (names, URLs, chart names,
// hosts) are untrusted: a tenant who can create a HelmRepository chooses its URL, and that URL
// lands in the admin's `helm repo add …` step. Each interpolated value is quoted POSIX-style, so a
// pasted command passes it to the program as ONE literal argument: no command substitution, no
// second command, no globbing.
//
// A value that cannot be made safe (a line break, NUL or other control character, an invisible or
// bidi character that the output sanitiser would rewrite, or a leading `-` that the program would
// read as an option) is replaced by a marker. `clean()` (render/sanitize.ts), which every front end
// applies to every step, turns a text containing the marker into UNSAFE_STEP: the step says the
// value is unsafe and omits the command instead of printing something that would run another one.

/** Marker for a value that cannot be quoted safely. NUL never survives the sanitiser, so it cannot be printed. */
export const UNSAFE_MARK = '\u0000fluxdoctor:unsafe-value\u0000';

/** What a step becomes when one of its command's values cannot be quoted safely. */
export const UNSAFE_STEP =
  'Step omitted: its command would contain a cluster value that cannot be quoted safely for a shell (a line break, a control or invisible character, or a leading "-"); inspect the object with kubectl get -o yaml instead.';

// Words that need no quoting in any POSIX shell (nor zsh, bash, dash): no glob, no expansion, no
// separator, no quote. `=` and `~` are excluded at the start (zsh `=cmd` expansion, tilde expansion).
const PLAIN = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;
// Characters the value may not carry at all: C0 (tab included) and C1 controls, DEL, Unicode format
// characters (bidi controls, zero-width characters, BOM, …) and line/paragraph separators.
const UNSAFE_CHAR = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** Why a value cannot go into a command, or undefined when it can (quoted). */
export function unsafeReason(value: string): string | undefined {
  if (UNSAFE_CHAR.test(value)) return 'contains a line break, control or invisible character';
  if (value.startsWith('-')) return 'starts with "-" (it would be read as an option)';
  return undefined;
}

/** Quote one value for a POSIX shell: plain words stay as they are, the rest is `'…'` with `'\''` for `'`. */
export function shq(value: string | number): string {
  const s = String(value);
  if (unsafeReason(s)) return UNSAFE_MARK;
  if (s === '') return "''";
  if (PLAIN.test(s)) return s;
  return `'${s.replace(/'/g, "'\\''")}'`;
}

/** shq, or a placeholder such as `<url>` (left unquoted so it reads as one) when the value is absent. */
export function shqOr(value: string | number | undefined | null, placeholder: string): string {
  return value === undefined || value === null || value === '' ? placeholder : shq(value);
}

/** A piece of shell text inserted into `sh` as it is (an option, a flag built with `sh` itself). */
export class Raw {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export const raw = (text: string): Raw => new Raw(text);

/**
 * Tagged template: every interpolation is quoted with shq, except Raw pieces and `undefined`/`false`
 * (which print nothing). sh`flux reconcile ks ${name} -n ${ns}`.
 */
export function sh(strings: TemplateStringsArray, ...values: (string | number | Raw | undefined | false)[]): string {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += v === undefined || v === false ? '' : v instanceof Raw ? v.text : shq(v);
    out += strings[i + 1] ?? '';
  });
  return out;
}

/** ` -n <namespace>` when there is one (quoted). */
export function nsArg(namespace: string | undefined): string {
  return namespace ? ` -n ${shq(namespace)}` : '';
}

/** True when a text carries the marker of a value that could not be quoted. */
export function hasUnsafe(text: string): boolean {
  return text.includes(UNSAFE_MARK);
}
