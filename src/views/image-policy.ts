// How image-reflector-controller picks the latest tag, re-implemented so fluxdoctor gives the same
// answer offline. Facts from fluxcd/image-reflector-controller@v1.2.3:
// - internal/policy/factory.go PolicerFromSpec: semver, else alphabetical, else numerical (order
//   upper-cased; "" means ASC); anything else "given ImagePolicyChoice object is invalid".
// - internal/policy/semver.go: each tag parsed with fluxcd/pkg/version@v0.16.0 ParseVersion (exactly
//   three dot-separated parts, then Masterminds/semver/v3@v3.5.0 NewVersion, which coerces: `v`
//   prefix, leading zeros), kept when the constraint checks, the greatest wins (strictly greater: the
//   first of equal versions in list order stays); the tag is returned as written (Original()).
// - internal/policy/alphabetical.go: ASC selects the greatest string (byte order), DESC the least.
// - internal/policy/numerical.go: strconv.ParseFloat of every value (one failure fails the policy),
//   ASC keeps the greatest, DESC the least; an equal value replaces the one kept (the last wins).
// - internal/policy/filter.go RegexFilter: tags the pattern matches (anywhere, Go RE2 syntax) are
//   kept, mapped through Regexp.ExpandString(extract) when extract is set; a map from value to tag,
//   so a later tag with the same value replaces an earlier one, and the values reach the policy in
//   Go's random map order.
// - internal/controller/imagerepository_controller.go scan: tags matching any exclusionList regex
//   are dropped before they are stored; the stored list is sorted in place, descending by
//   strings.Compare (sortTagsAndGetLatestTags), and status.lastScanResult.latestTags holds the
//   first 10 of that order (the 10 greatest strings, not the 10 newest pushes).
// The Masterminds constraint semantics (constraints.go) are ported below; they differ from the npm
// `semver` package in ways test/views/image-policy.test.ts pins down.

import { setFlagsFromString } from 'node:v8';

// ---------- Masterminds semver v3.5.0 ----------

export interface SemVersion {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string;
  metadata: string;
  original: string;
}

const MAX_U64 = (1n << 64n) - 1n;
const MAX_VERSION_LEN = 256;
const MAX_CONSTRAINT_LEN = 512;
const MAX_CONSTRAINT_GROUPS = 32;

const LOOSE_RE =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const NUM = /^[0-9]*$/;
const ALLOWED = /^[0-9A-Za-z-]*$/;

const utf8Len = (s: string) => Buffer.byteLength(s, 'utf8');

function parseU64(s: string): bigint | undefined {
  if (!/^[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n > MAX_U64 ? undefined : n;
}

function validPrerelease(p: string): boolean {
  for (const part of p.split('.')) {
    if (part === '') return false;
    if (NUM.test(part)) {
      if (part.length > 1 && part[0] === '0') return false;
    } else if (!ALLOWED.test(part)) return false;
  }
  return true;
}

function validMetadata(m: string): boolean {
  return m.split('.').every((p) => p !== '' && ALLOWED.test(p));
}

/** Masterminds NewVersion (CoerceNewVersion = true: the loose form), or undefined when it fails. */
export function newVersion(v: string): SemVersion | undefined {
  if (utf8Len(v) > MAX_VERSION_LEN) return undefined;
  const m = LOOSE_RE.exec(v);
  if (!m) return undefined;
  const major = parseU64(m[1]!);
  const minor = m[2] ? parseU64(m[2].slice(1)) : 0n;
  const patch = m[3] ? parseU64(m[3].slice(1)) : 0n;
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  const pre = m[5] ?? '';
  const metadata = m[8] ?? '';
  if (pre && !validPrerelease(pre)) return undefined;
  if (metadata && !validMetadata(metadata)) return undefined;
  return { major, minor, patch, pre, metadata, original: v };
}

/** fluxcd/pkg/version ParseVersion: three dot-separated parts (SplitN 3), then NewVersion. */
export function parseTagVersion(tag: string): SemVersion | undefined {
  if (tag.split('.').length < 3) return undefined;
  return newVersion(tag);
}

const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
/** Go's strings.Compare / byte order of UTF-8 (code point order). */
export function byteCompare(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const oi = parseU64(o);
  const si = parseU64(s);
  if (oi === undefined && si === undefined) return byteCompare(s, o) > 0 ? 1 : -1;
  if (oi === undefined) return -1;
  if (si === undefined) return 1;
  return si > oi ? 1 : -1;
}

function comparePrerelease(v: string, o: string): number {
  const sp = v.split('.');
  const op = o.split('.');
  const l = Math.max(sp.length, op.length);
  for (let i = 0; i < l; i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

export function compareVersions(v: SemVersion, o: SemVersion): number {
  const d = cmpBig(v.major, o.major) || cmpBig(v.minor, o.minor) || cmpBig(v.patch, o.patch);
  if (d !== 0) return d;
  if (v.pre === '' && o.pre === '') return 0;
  if (v.pre === '') return 1;
  if (o.pre === '') return -1;
  return comparePrerelease(v.pre, o.pre);
}

interface Constraint {
  con: SemVersion;
  orig: string;
  op: string;
  minorDirty: boolean;
  patchDirty: boolean;
  dirty: boolean;
}

export interface Constraints {
  groups: Constraint[][];
  containsPre: boolean[];
}

export class PolicyError extends Error {}

/** A Go pattern this translation cannot reproduce exactly (not an error the controller would report). */
export class UnsupportedPattern extends PolicyError {}

// Go's RE2 \s is [\t\n\f\r ] (ASCII only), unlike JavaScript's \s.
const WS = '[\\t\\n\\f\\r ]';
const CV =
  'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?' +
  '(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?' +
  '(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const CONSTRAINT_RE = new RegExp(`^${WS}*(${OPS})${WS}*(${CV})${WS}*$`);
const RANGE_RE = new RegExp(`${WS}*(${CV})${WS}+-${WS}+(${CV})${WS}*`, 'g');
const FIND_RE = new RegExp(`(${OPS})${WS}*(${CV})`, 'g');
const VALID_RE = new RegExp(`^(${WS}*(${OPS})${WS}*(${CV})${WS}*)((?:${WS}+|,${WS}*)(${OPS})${WS}*(${CV})${WS}*)*$`);

const isX = (s: string | undefined) => s === 'x' || s === '*' || s === 'X';

function rewriteRange(i: string): string {
  let o = i;
  for (const m of i.matchAll(RANGE_RE)) o = o.replace(m[0], `>= ${m[1]}, <= ${m[11]} `);
  return o;
}

function parseConstraint(c: string): Constraint {
  const m = CONSTRAINT_RE.exec(c);
  if (!m) throw new PolicyError(`improper constraint: ${JSON.stringify(c)}`);
  let ver = m[2]!;
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  const m4 = m[4] ?? '';
  const m5 = m[5] ?? '';
  const m6 = m[6] ?? '';
  if (isX(m[3]) || !m[3]) {
    ver = `0.0.0${m6}`;
    dirty = true;
  } else if (isX(m4.replace(/^\./, '')) || m4 === '') {
    minorDirty = true;
    dirty = true;
    ver = `${m[3]}.0.0${m6}`;
  } else if (isX(m5.replace(/^\./, '')) || m5 === '') {
    dirty = true;
    patchDirty = true;
    ver = `${m[3]}${m4}.0${m6}`;
  }
  const con = newVersion(ver);
  if (!con) throw new PolicyError('constraint parser error');
  return { con, orig: m[2]!, op: m[1]!, minorDirty, patchDirty, dirty };
}

/**
 * Masterminds NewConstraint. Whitespace runs are collapsed first (every pattern reads whitespace
 * only as RE2 \s* or \s+, so this changes no result) to keep the JavaScript backtracking linear.
 */
export function newConstraint(range: string): Constraints {
  if (utf8Len(range) > MAX_CONSTRAINT_LEN) throw new PolicyError('constraint string is too long (max 512 bytes)');
  const c = rewriteRange(range.replace(/[\t\n\f\r ]+/g, ' '));
  const ors = c.split('||');
  if (ors.length > MAX_CONSTRAINT_GROUPS) throw new PolicyError('too many constraint groups (max 32)');
  const groups: Constraint[][] = [];
  const containsPre: boolean[] = [];
  for (const v of ors) {
    if (!VALID_RE.test(v)) throw new PolicyError(`improper constraint: ${JSON.stringify(v)}`);
    const found = [...v.matchAll(FIND_RE)].map((x) => x[0]);
    const cs = found.length > 0 ? found : [v];
    const group = cs.map(parseConstraint);
    groups.push(group);
    containsPre.push(group.some((g) => g.con.pre !== ''));
  }
  return { groups, containsPre };
}

function checkOne(v: SemVersion, c: Constraint, includePre: boolean): boolean {
  if (v.pre !== '' && !includePre) return false;
  const cmp = compareVersions(v, c.con);
  switch (c.op) {
    case '':
    case '=':
      if (c.dirty) return tilde(v, c, cmp);
      return cmp === 0;
    case '!=':
      if (c.dirty) {
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || c.con.pre !== '') return comparePrerelease(v.pre, c.con.pre) !== 0;
          return false;
        }
      }
      return cmp !== 0;
    case '>':
      if (!c.dirty) return cmp === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return cmp === 1;
    case '<':
      return cmp < 0;
    case '>=':
    case '=>':
      return cmp >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return cmp <= 0;
      if (v.major > c.con.major) return false;
      if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde(v, c, cmp);
    case '^':
      if (cmp < 0) return false;
      if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
      if (c.con.major === 0n && v.major > 0n) return false;
      if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
      if (c.con.minor === 0n && v.minor > 0n) return false;
      return c.con.patch === v.patch;
    default:
      return false;
  }
}

function tilde(v: SemVersion, c: Constraint, cmp: number): boolean {
  if (cmp < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

/** Masterminds Constraints.Check: any OR group whose every constraint holds; pre-releases only for a group naming one. */
export function checkConstraint(cs: Constraints, v: SemVersion): boolean {
  return cs.groups.some((g, i) => g.every((c) => checkOne(v, c, cs.containsPre[i] === true)));
}

// ---------- Go strconv.ParseFloat(s, 64) ----------

/** The value strconv.ParseFloat(s, 64) returns without error, or undefined where it returns one. */
export function parseGoFloat(s: string): number | undefined {
  let i = 0;
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    if (s[0] === '-') sign = -1;
    i = 1;
  }
  const rest = s.slice(i).toLowerCase();
  if (rest === 'inf' || rest === 'infinity') return sign * Number.POSITIVE_INFINITY;
  if (rest === 'nan') return i === 0 ? Number.NaN : undefined;
  const raw = s.slice(i);
  const isHex = /^0[xX]/.test(raw);
  // An underscore only between two digits (after the 0x prefix counts as a digit): underscoreOK.
  for (let k = raw.indexOf('_'); k >= 0; k = raw.indexOf('_', k + 1)) {
    const before = raw[k - 1] ?? '';
    const after = raw[k + 1] ?? '';
    const digit = isHex ? /[0-9a-fA-FxX]/ : /[0-9]/;
    if (!digit.test(before) || !(isHex ? /[0-9a-fA-F]/ : /[0-9]/).test(after)) return undefined;
  }
  const body = raw.replace(/_/g, '');
  let n: number;
  if (isHex) {
    const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(body);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
    const frac = m[2] ?? '';
    const mant = BigInt(`0x${m[1] || '0'}${frac}`);
    n = Number(mant) * 2 ** (Number(m[3]) - 4 * frac.length);
  } else {
    if (!/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(body)) return undefined;
    n = Number(body);
  }
  // ParseFloat returns ErrRange (an error) when the value overflows float64.
  if (!Number.isFinite(n)) return undefined;
  return sign * n;
}

// ---------- Go RE2 → JavaScript ----------

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\x0B\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** A code point as an escape: `\\u{…}` with the u flag, else `\\uXXXX` (a surrogate pair above U+FFFF). */
function cpEscape(n: number, unicode: boolean): string {
  if (unicode) return `\\u{${n.toString(16)}}`;
  const u = (x: number) => `\\u${x.toString(16).padStart(4, '0')}`;
  if (n <= 0xffff) return u(n);
  const v = n - 0x10000;
  return `(?:${u(0xd800 + (v >> 10))}${u(0xdc00 + (v & 0x3ff))})`;
}

// JavaScript regular expressions backtrack; Go's are linear. A pattern from the cluster such as
// `^(a+)+$` must not hang fluxdoctor: V8 falls back to its linear engine after too many backtracks
// (for expressions without the u flag, which the translation avoids unless a \p class needs it).
try {
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
} catch {
  // not V8, or the flag is gone: patterns still work, only without the fallback
}

function unicodeClass(name: string, neg: boolean): string {
  if (name === 'Any') return neg ? '[^\\s\\S]' : '[\\s\\S]';
  const body = name.length <= 2 ? name : `Script=${name}`;
  return `\\${neg ? 'P' : 'p'}{${body}}`;
}

/**
 * A Go (RE2) regular expression as a JavaScript RegExp with the same matches for tags: named groups
 * `(?P<n>…)`, `\s` as ASCII whitespace, `.` not matching only `\n`, `\A` `\z`, `\Q…\E`, POSIX
 * classes, `\pL`, a leading `(?i)`/`(?s)`/`(?m)`. What cannot be translated exactly (flags in the
 * middle, `(?U)`, back-references Go refuses anyway) throws a PolicyError.
 */
export function goRegExp(pattern: string): RegExp {
  // The u flag only where a Unicode class or a code point above U+FFFF needs it (see above).
  const unicode = /\\[pP]|\\x\{/.test(pattern) || /[\u{10000}-\u{10ffff}]/u.test(pattern);
  const hex = (c: string) => cpEscape(c.codePointAt(0)!, unicode);
  let flags = unicode ? 'u' : '';
  let i = 0;
  let dotAll = false;
  // Flags before anything that matches text (`(?i)x`, `^(?i)x`) hold for the whole pattern.
  const lead = /^(\^?)\(\?([imsU]+)\)/.exec(pattern);
  if (lead) {
    if (lead[2]!.includes('U')) throw new UnsupportedPattern('the (?U) flag is not supported here');
    if (lead[2]!.includes('i')) flags += 'i';
    if (lead[2]!.includes('m')) flags += 'm';
    if (lead[2]!.includes('s')) dotAll = true;
    i = lead[0].length;
  }
  let out = lead?.[1] ?? '';
  let inClass = false;
  let classStart = false;
  const p = pattern;
  const escapeAt = (): string => {
    const c = p[i + 1];
    if (c === undefined) throw new PolicyError('trailing backslash at end of expression');
    i += 2;
    if ('dDwWbB'.includes(c)) return `\\${c}`;
    if (c === 's') return inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
    if (c === 'S') {
      if (inClass) throw new UnsupportedPattern('\\S inside a character class is not supported here');
      return '[^\\t\\n\\f\\r ]';
    }
    if (c >= '0' && c <= '7' && (c === '0' || /[0-7]/.test(p[i] ?? ''))) {
      // Octal: up to three digits (Go refuses a lone \1-\7, a back-reference).
      let o = c;
      while (o.length < 3 && /[0-7]/.test(p[i] ?? '')) o += p[i++];
      return cpEscape(Number.parseInt(o, 8), unicode);
    }
    if (c === 'A' && !inClass) return '(?<![\\s\\S])';
    if (c === 'z' && !inClass) return '(?![\\s\\S])';
    if (c === 'Q' && !inClass) {
      const end = p.indexOf('\\E', i);
      const lit = end < 0 ? p.slice(i) : p.slice(i, end);
      i = end < 0 ? p.length : end + 2;
      return [...lit].map(hex).join('');
    }
    if (c === 'p' || c === 'P') {
      let name: string;
      if (p[i] === '{') {
        const end = p.indexOf('}', i);
        if (end < 0) throw new PolicyError('invalid character class range');
        name = p.slice(i + 1, end);
        i = end + 1;
      } else {
        name = p[i] ?? '';
        i++;
      }
      let neg = c === 'P';
      if (name.startsWith('^')) {
        neg = !neg;
        name = name.slice(1);
      }
      if (!/^[A-Za-z_]+$/.test(name)) throw new PolicyError('invalid character class range');
      const u = unicodeClass(name, neg);
      if (inClass && u.startsWith('[')) throw new UnsupportedPattern('\\p{Any} inside a class is not supported here');
      return u;
    }
    if (c === 'x') {
      if (p[i] === '{') {
        const end = p.indexOf('}', i);
        const h = p.slice(i + 1, end);
        if (end < 0 || !/^[0-9a-fA-F]+$/.test(h)) throw new PolicyError('invalid escape sequence');
        i = end + 1;
        return cpEscape(Number.parseInt(h, 16), unicode);
      }
      const h = p.slice(i, i + 2);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new PolicyError('invalid escape sequence');
      i += 2;
      return `\\x${h}`;
    }
    const simple: Record<string, string> = { t: '\\t', n: '\\n', r: '\\r', f: '\\f', v: '\\v', a: '\\x07' };
    if (simple[c]) return simple[c]!;
    if (/[!-/:-@[-`{-~]/.test(c)) return hex(c);
    throw new PolicyError(`invalid escape sequence: \\${c}`);
  };
  while (i < p.length) {
    const c = p[i]!;
    if (inClass) {
      if (c === ']' && !classStart) {
        out += ']';
        inClass = false;
        i++;
        continue;
      }
      classStart = false;
      if (c === '\\') {
        out += escapeAt();
        continue;
      }
      if (c === '[' && p[i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
        if (m && POSIX[m[2]!] !== undefined) {
          if (m[1]) throw new UnsupportedPattern('negated POSIX classes are not supported here');
          out += POSIX[m[2]!];
          i += m[0].length;
          continue;
        }
      }
      out += c === '[' || c === ']' ? `\\${c}` : c;
      i++;
      continue;
    }
    if (c === '\\') {
      out += escapeAt();
      continue;
    }
    if (c === '[') {
      inClass = true;
      classStart = true;
      out += '[';
      i++;
      if (p[i] === '^') {
        out += '^';
        i++;
      }
      // A `]` first in a class is a literal in Go.
      if (p[i] === ']') {
        out += '\\]';
        i++;
        classStart = false;
      }
      continue;
    }
    if (c === '(' && p[i + 1] === '?') {
      const rest = p.slice(i);
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        out += `(?<${named[1]}>`;
        i += named[0].length;
        continue;
      }
      if (rest.startsWith('(?:')) {
        out += '(?:';
        i += 3;
        continue;
      }
      throw new UnsupportedPattern('inline flags in the middle of a pattern are not supported here');
    }
    if (c === '.') {
      out += dotAll ? '[\\s\\S]' : '[^\\n]';
      i++;
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
      if (m && out !== '' && !/[(|]$/.test(out)) {
        if (Number(m[1]) > 1000 || (m[3] && Number(m[3]) > 1000)) throw new PolicyError('invalid repeat count');
        out += m[0];
        i += m[0].length;
        continue;
      }
      out += '\\{';
      i++;
      continue;
    }
    if (c === '}') {
      out += '\\}';
      i++;
      continue;
    }
    out += c;
    i++;
  }
  if (inClass) throw new PolicyError('missing closing ]');
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw new PolicyError((e as Error).message.replace(/^Invalid regular expression: /, ''));
  }
}

/** Go's Regexp.ExpandString of `template` for one match (`$1`, `${1}`, `$name`, `${name}`, `$$`). */
export function goExpand(template: string, m: RegExpExecArray): string {
  let out = '';
  let t = template;
  for (;;) {
    const at = t.indexOf('$');
    if (at < 0) break;
    out += t.slice(0, at);
    t = t.slice(at + 1);
    if (t.startsWith('$')) {
      out += '$';
      t = t.slice(1);
      continue;
    }
    const x = /^(\{)?([\p{L}\p{Nd}_]+)/u.exec(t);
    if (!x || (x[1] && t[x[0].length] !== '}')) {
      out += '$';
      continue;
    }
    const name = x[2]!;
    t = t.slice(x[0].length + (x[1] ? 1 : 0));
    let num = /^[0-9]+$/.test(name) && !(name.length > 1 && name[0] === '0') ? Number(name) : -1;
    if (num >= 1e8 + 1) num = -1;
    if (num >= 0) {
      if (num < m.length && m[num] !== undefined) out += m[num];
    } else {
      const v = m.groups?.[name];
      if (v !== undefined) out += v;
    }
  }
  return out + t;
}

// ---------- policies ----------

export type PolicyType = 'semver' | 'alphabetical' | 'numerical';

export interface PolicySpec {
  type: PolicyType;
  /** semver range, or the upper-cased order (ASC/DESC). */
  range?: string;
  order?: 'ASC' | 'DESC';
}

/** PolicerFromSpec: the policy an ImagePolicy's spec.policy describes, or the controller's error. */
export function policyFromSpec(policy: unknown): PolicySpec {
  const p = (policy ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const order = (v: unknown): 'ASC' | 'DESC' => {
    const o = String(v ?? '').toUpperCase();
    if (o === '' || o === 'ASC') return 'ASC';
    if (o === 'DESC') return 'DESC';
    throw new PolicyError(`invalid order argument provided: '${o}', must be one of: ASC, DESC`);
  };
  if (p.semver && typeof p.semver === 'object') {
    const range = String(p.semver.range ?? '');
    newConstraint(range);
    return { type: 'semver', range };
  }
  if (p.alphabetical && typeof p.alphabetical === 'object')
    return { type: 'alphabetical', order: order(p.alphabetical.order) };
  if (p.numerical && typeof p.numerical === 'object') return { type: 'numerical', order: order(p.numerical.order) };
  throw new PolicyError('given ImagePolicyChoice object is invalid');
}
