// Test helpers for the message-pattern catalogue (not a test file itself).
//
// Controllers wrap Go errors outside-in ("failed to X: unable to Y: <cause>"), so when several patterns
// match one message the most specific one is the one whose match starts last: `innermost` picks it
// (ties go to the earlier pattern in the list). `timeIt` measures one regex run on untrusted input.

import type { MessagePattern } from '../../src/signals/patterns/types.js';

export interface Hit {
  pattern: MessagePattern;
  match: RegExpExecArray;
}

/** Every pattern that matches `text`, in list order. */
export function matches(text: string, patterns: readonly MessagePattern[]): Hit[] {
  const out: Hit[] = [];
  for (const pattern of patterns) {
    const match = pattern.re.exec(text);
    if (match) out.push({ pattern, match });
  }
  return out;
}

/** The match that starts last in the text (the innermost wrapped cause); ties go to the earlier pattern. */
export function innermost(text: string, patterns: readonly MessagePattern[]): Hit | undefined {
  let best: Hit | undefined;
  for (const hit of matches(text, patterns)) {
    if (!best || hit.match.index > best.match.index) best = hit;
  }
  return best;
}

/** Named groups of the innermost match, without the groups that did not participate. */
export function dataOf(hit: Hit | undefined): Record<string, string> {
  const g = hit?.match.groups ?? {};
  return Object.fromEntries(Object.entries(g).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Milliseconds one `re.test(input)` takes. */
export function timeIt(re: RegExp, input: string): number {
  const t0 = performance.now();
  re.test(input);
  return performance.now() - t0;
}

/**
 * Hostile inputs for a pattern: 100 KB runs of letters, identifiers, paths, quotes and separators, and
 * each sample's first 40 characters repeated to 100 KB (a prefix the pattern starts matching but never
 * completes, the case where backtracking explodes).
 */
export function hostileInputs(p: MessagePattern): string[] {
  const size = 100_000;
  const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  // letters, an identifier-like token without separators, path-like, quoted and `key: value` runs
  const out = [fill('a'), fill('A'), fill('Ab0'), fill('Ab/'), fill("a'"), fill('a\\"'), fill('a: '), fill('a b')];
  for (const s of p.samples) {
    const head = s.slice(0, 40);
    if (head.length > 0) out.push(fill(head));
  }
  return out;
}
