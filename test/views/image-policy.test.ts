// The policy evaluation of `image why` against image-reflector-controller's behaviour. Cases marked
// (Go test) come from fluxcd/image-reflector-controller@v1.2.3 internal/policy/*_test.go; the
// semver cases pin the Masterminds/semver/v3@v3.5.0 constraint semantics (constraints.go) where the
// npm `semver` package this project also depends on answers differently.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import npmSemver from 'semver';
import {
  checkConstraint,
  goExpand,
  goRegExp,
  newConstraint,
  PolicyError,
  parseGoFloat,
  parseTagVersion,
  UnsupportedPattern,
} from '../../src/views/image-policy.js';
import { evaluatePolicy } from '../../src/views/image-why.js';

const pick = (policy: unknown, tags: string[], filterTags?: { pattern: string; extract?: string }) => {
  const ev = evaluatePolicy(policy, filterTags, tags, undefined);
  return ev.error ? `error: ${ev.error.message}` : ev.selected;
};
const semver = (range: string, tags: string[]) => pick({ semver: { range } }, tags);
const satisfies = (v: string, range: string) => {
  const pv = parseTagVersion(v);
  assert.ok(pv, v);
  return checkConstraint(newConstraint(range), pv);
};

describe('image policy: semver (internal/policy/semver.go, Masterminds constraints)', () => {
  it('the controller tests (semver_test.go TestSemVer_Latest)', () => {
    assert.equal(semver('1.0.x', ['1.0.0', '1.0.0.1', '1.0.0p', '1.0.1', '1.2.0', '0.1.0']), '1.0.1');
    assert.equal(semver('1.0.x', ['v1.2.3', 'v1.0.0', 'v0.1.0']), 'v1.0.0', 'the tag as written, v prefix kept');
    assert.equal(
      semver('1.0.x', ['b1.2.3', 'b1.0.0', 'b0.1.0']),
      'error: unable to determine latest version from provided list',
    );
    assert.equal(semver('1.0.x', ['1.2.0']), 'error: unable to determine latest version from provided list');
    assert.equal(semver('1.0.x', []), 'error: version list argument cannot be empty');
  });

  it('tags need three dot-separated parts (fluxcd/pkg/version ParseVersion) but may have leading zeros (coercion)', () => {
    assert.equal(parseTagVersion('1.2'), undefined);
    assert.equal(parseTagVersion('1.2.3.4'), undefined);
    assert.ok(parseTagVersion('01.02.03'));
    assert.equal(npmSemver.valid('01.02.03'), null, 'npm semver refuses leading zeros');
    assert.equal(parseTagVersion('1.2.3-rc.01'), undefined, 'a numeric pre-release part with a leading zero');
  });

  it('pre-releases: only when a constraint of the same || group names one — then any pre-release, unlike npm', () => {
    assert.equal(satisfies('1.5.0-rc.1', '>=1.0.0'), false);
    assert.equal(satisfies('1.5.0-rc.1', '>=1.0.0-0'), true);
    // npm semver only lets pre-releases of the same MAJOR.MINOR.PATCH through.
    assert.equal(npmSemver.satisfies('1.5.0-rc.1', '>=1.0.0-0'), false);
    assert.equal(semver('>=1.0.0-0', ['1.0.0', '1.5.0-rc.1', '1.4.0']), '1.5.0-rc.1');
    assert.equal(satisfies('3.1.0-rc.1', '<2.0.0 || >=3.0.0-0'), true);
    assert.equal(npmSemver.satisfies('3.1.0-rc.1', '<2.0.0 || >=3.0.0-0'), false);
    assert.equal(satisfies('1.9.0-rc.1', '<2.0.0 || >=3.0.0-0'), false, 'the first group names no pre-release');
    assert.equal(semver('>=2.0.0-alpha', ['2.0.0-alpha', '2.0.0-beta.2', '2.0.0-beta.11', '1.9.9']), '2.0.0-beta.11');
  });

  it('comma-separated AND, =>, =<, != and ~> — npm semver has no such ranges', () => {
    assert.equal(satisfies('1.2.0', '>=1.0.0, <2.0.0'), true);
    assert.equal(npmSemver.validRange('>=1.0.0, <2.0.0'), null);
    assert.equal(satisfies('1.0.0', '=>1.0.0'), true);
    assert.equal(npmSemver.validRange('=>1.0.0'), null);
    assert.equal(satisfies('1.1.0', '=<1.1.0'), true);
    assert.equal(satisfies('1.2.1', '!=1.2.1'), false);
    assert.equal(satisfies('1.2.0', '!=1.2.1'), true);
    assert.equal(npmSemver.validRange('!=1.2.0'), null);
    assert.equal(semver('>=1.0.0 !=1.2.1', ['1.0.0', '1.2.0', '1.2.1']), '1.2.0');
  });

  it('~, ^ and x ranges as Masterminds reads them', () => {
    const tags = ['0.0.1', '0.0.2', '0.1.0', '0.1.5', '1.0.0', '1.1.0', '1.2.0', '1.2.1', '2.0.0'];
    assert.equal(semver('~1.2', tags), '1.2.1');
    assert.equal(semver('~1', tags), '1.2.1');
    assert.equal(semver('^1', tags), '1.2.1');
    assert.equal(semver('^0.1', tags), '0.1.5');
    assert.equal(semver('^0.0', tags), '0.0.2', '^0.0 is >=0.0.0 <0.1.0');
    assert.equal(semver('^0.0.1', tags), '0.0.1', '^0.0.1 is exactly 0.0.1');
    assert.equal(semver('1.x', tags), '1.2.1');
    assert.equal(semver('*', tags), '2.0.0');
    assert.equal(semver('1.2', tags), '1.2.1', 'a bare 1.2 is 1.2.x');
    assert.equal(semver('=1.2.0', tags), '1.2.0');
    assert.equal(semver('>1.1', tags), '2.0.0');
    assert.equal(semver('<=1.1', tags), '1.1.0', '<=1.1 keeps 1.1.x');
    assert.equal(semver('1.0.0 - 1.2.0', tags), '1.2.0', 'hyphen range');
    assert.equal(semver('>= 1.0.0   <   1.2.0', tags), '1.1.0', 'whitespace');
  });

  it('equal versions: the first in the stored order (descending strings) wins', () => {
    // "v1.2.3" sorts before "1.2.3" descending ('v' > '1'), and Latest keeps the first of equals.
    assert.equal(semver('>=1.0.0', ['1.2.3', 'v1.2.3']), 'v1.2.3');
    assert.equal(semver('>=1.0.0', ['1.2.3+b', '1.2.3']), '1.2.3+b');
  });

  it('invalid ranges are the controller’s InvalidPolicy', () => {
    for (const r of ['junk', '', '1.2.x3', '>=1.0.0 ||| 2']) {
      const ev = evaluatePolicy({ semver: { range: r } }, undefined, ['1.0.0'], undefined);
      assert.equal(ev.error?.reason, 'InvalidPolicy', r);
      assert.match(ev.error!.message, /^invalid policy: /);
    }
    assert.throws(() => newConstraint(`${'>=1.0.0 '.repeat(70)}`), PolicyError, 'over 512 bytes');
  });

  it('a hostile range does not backtrack for ever', () => {
    const t = Date.now();
    assert.throws(() => newConstraint(`${'1 '.repeat(200)}!`), PolicyError);
    assert.throws(() => newConstraint(`${'1\t\t\t'.repeat(120)}!`), PolicyError);
    assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
  });
});

describe('image policy: alphabetical (alphabetical_test.go TestAlphabetical_Latest)', () => {
  const cases: [string[], string, string][] = [
    [['16.04', '16.04.1', '16.10', '20.04', '20.10'], 'asc', '20.10'],
    [['16.04', '16.04.1', '16.10', '20.04', '20.10'], 'desc', '16.04'],
    [['xenial', 'yakkety', 'zesty', 'artful', 'bionic'], '', 'zesty'],
    [['xenial', 'yakkety', 'zesty', 'artful', 'bionic'], 'DESC', 'artful'],
    [['1606234201', '1606364286', '1606334092', '1606334284', '1606334201'], 'asc', '1606364286'],
    [['rel-1606234201', 'rel-1606364286', 'rel-1606334092'], 'asc', 'rel-1606364286'],
    [
      ['2021-01-08T21-18-21Z', '2020-05-08T21-18-21Z', '1990-01-08T00-20-00Z', '2023-05-08T00-20-00Z'],
      'asc',
      '2023-05-08T00-20-00Z',
    ],
    [
      ['2021-01-08T21-18-21Z', '2020-05-08T21-18-21Z', '1990-01-08T00-20-00Z', '2023-05-08T00-20-00Z'],
      'desc',
      '1990-01-08T00-20-00Z',
    ],
  ];
  for (const [tags, order, want] of cases)
    it(`${order || '(default ASC)'} over ${tags.slice(0, 2).join(', ')}… → ${want}`, () => {
      assert.equal(pick({ alphabetical: { order } }, tags), want);
    });
  it('byte order: upper case sorts before lower case; an unknown order is InvalidPolicy', () => {
    assert.equal(pick({ alphabetical: {} }, ['Zeta', 'alpha']), 'alpha');
    assert.equal(
      pick({ alphabetical: { order: 'up' } }, ['a']),
      "error: invalid policy: invalid order argument provided: 'UP', must be one of: ASC, DESC",
    );
  });
});

describe('image policy: numerical (numerical_test.go TestNumerical_Latest, strconv.ParseFloat)', () => {
  it('the controller tests', () => {
    assert.equal(pick({ numerical: {} }, ['-62', '-88', '73', '72', '15', '16', '29', '-33', '-91']), '73');
    assert.equal(pick({ numerical: { order: 'desc' } }, ['5', '-8', '-78', '25', '70', '-4', '80', '92']), '-78');
    assert.equal(
      pick({ numerical: { order: 'asc' } }, ['47.40896403322944', '-27.8520927455902', '53.47333823144817']),
      '53.47333823144817',
    );
    assert.equal(pick({ numerical: { order: 'asc' } }, ['1606234201', '1606364286', '1606334092']), '1606364286');
    assert.equal(pick({ numerical: { order: 'desc' } }, ['1606234201', '1606364286', '1606334092']), '1606234201');
    assert.equal(pick({ numerical: {} }, ['1']), '1');
    assert.equal(
      String(pick({ numerical: {} }, ['0', '1a', 'b'])).startsWith("error: failed to parse invalid numeric value '"),
      true,
    );
  });
  it('ParseFloat accepts what Go accepts (checked against Go 1.26 strconv)', () => {
    assert.equal(parseGoFloat('1_000'), 1000);
    assert.equal(parseGoFloat('1__0'), undefined);
    assert.equal(parseGoFloat('1_'), undefined);
    assert.equal(parseGoFloat('0x1p-2'), 0.25);
    assert.equal(parseGoFloat('0x10'), undefined, 'a hex float needs its p exponent');
    assert.equal(parseGoFloat('1e400'), undefined, 'out of range is an error');
    assert.equal(parseGoFloat('1e-400'), 0);
    assert.equal(parseGoFloat('Inf'), Number.POSITIVE_INFINITY);
    assert.ok(Number.isNaN(parseGoFloat('nan')));
    assert.equal(parseGoFloat('-nan'), undefined);
    assert.equal(parseGoFloat(' 1'), undefined);
    assert.equal(parseGoFloat('007'), 7);
  });
  it('equal values: the last one in the stored order wins', () => {
    // stored descending: "5.0", "5", "3" → 5.0 then 5 (equal, replaces) → "5"
    assert.equal(pick({ numerical: {} }, ['5', '5.0', '3']), '5');
  });
});

describe('image policy: filterTags (filter_test.go TestRegexFilter, Regexp.ExpandString)', () => {
  const tags = ['123-123.123.abcd123-debug', '123-123.123.abcd123', '123-123.123.abcd456-debug', '123-123.123.abcd456'];
  const kept = (pattern: string, extract = '', list = tags) =>
    evaluatePolicy({ alphabetical: {} }, { pattern, extract }, list, undefined)
      .candidates.map((c) => c.value)
      .sort();
  it('the controller tests', () => {
    assert.deepEqual(kept('^ver', '', ['ver1', 'ver2', 'ver3', 'rel1']), ['ver1', 'ver2', 'ver3']);
    assert.deepEqual(kept('ver(\\d+)', '$1', ['ver1', 'ver2', 'ver3', 'rel1']), ['1', '2', '3']);
    assert.deepEqual(kept('^(123-[0-9]+\\.[0-9]+\\.[a-z0-9]+-debug)'), [
      '123-123.123.abcd123-debug',
      '123-123.123.abcd456-debug',
    ]);
    assert.deepEqual(kept('^(?P<tag>123-[0-9]+\\.[0-9]+\\.[a-z0-9]+[^-debug])', '$tag'), [
      '123-123.123.abcd123',
      '123-123.123.abcd456',
    ]);
    assert.deepEqual(kept('^(?P<tag>123-[0-9]+\\.[0-9]+\\.[a-z0-9]+$)', '$tag'), [
      '123-123.123.abcd123',
      '123-123.123.abcd456',
    ]);
  });
  it('pattern + extract picks by the extracted value and reports the original tag', () => {
    const ev = evaluatePolicy(
      { numerical: { order: 'asc' } },
      { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)', extract: '$ts' },
      ['main-abc-100', 'main-def-200', 'dev-aaa-300', 'main-fff-50'],
      undefined,
    );
    assert.equal(ev.selected, 'main-def-200');
    assert.deepEqual(ev.filteredOut, ['dev-aaa-300']);
  });
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Go's ExpandString syntax
  it('ExpandString: $1x is the group named "1x" (empty), ${1}x, $$, a missing name expands to nothing', () => {
    const m = /^(?<a>[a-z]+)-(\d+)$/u.exec('abc-42')!;
    assert.equal(goExpand('$1x', m), '');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go's ExpandString syntax
    assert.equal(goExpand('${1}x', m), 'abcx');
    assert.equal(goExpand('$a.$2$$', m), 'abc.42$');
    assert.equal(goExpand('$nope-$9', m), '-');
    assert.equal(goExpand('${a', m), '${a', 'malformed: the $ stays');
  });
  it('two tags with one extracted value: the later in stored order replaces the earlier', () => {
    const ev = evaluatePolicy({ alphabetical: {} }, { pattern: '^(\\d+)-', extract: '$1' }, ['1-b', '1-a'], undefined);
    assert.deepEqual(ev.replaced, [{ tag: '1-b', value: '1', by: '1-a' }]);
    assert.equal(ev.selected, '1-a');
  });
  it('RE2 → JavaScript: (?P<n>), \\s ASCII only, . matches \\r, POSIX classes, \\Q…\\E, leading flags', () => {
    assert.equal(goRegExp('(?P<v>\\d+)').exec('x12')?.groups?.v, '12');
    assert.equal(goRegExp('^\\s$').test('\u00a0'), false, 'Go \\s is ASCII whitespace');
    assert.equal(goRegExp('^.$').test('\r'), true, 'Go . matches everything but \\n');
    assert.equal(goRegExp('^[[:digit:]]+$').test('123'), true);
    assert.equal(goRegExp('^\\Qa.b\\E$').test('axb'), false);
    assert.equal(goRegExp('(?i)^x').test('X1'), true);
    assert.equal(goRegExp('^(?i)x').test('X1'), true);
    assert.equal(goRegExp('a{2}').test('aa'), true);
    assert.equal(goRegExp('^a{,2}$').test('a{,2}'), true, 'not a repeat in Go: literal');
    assert.throws(() => goRegExp('\\1'), PolicyError, 'Go has no back-references');
    assert.throws(() => goRegExp('a(?i)b'), UnsupportedPattern);
  });
  it('a catastrophic pattern from the cluster does not hang (V8 falls back to its linear engine)', () => {
    const t = Date.now();
    const ev = evaluatePolicy({ alphabetical: {} }, { pattern: '^(a+)+$' }, [`${'a'.repeat(120)}!`, 'aaa'], undefined);
    assert.equal(ev.selected, 'aaa');
    assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
  });
  it('an invalid pattern is InvalidPolicy, an untranslatable one is no answer (not the controller’s error)', () => {
    const bad = evaluatePolicy({ alphabetical: {} }, { pattern: '(' }, ['a'], undefined);
    assert.equal(bad.error?.reason, 'InvalidPolicy');
    assert.match(bad.error!.message, /^failed to filter tags: invalid regular expression pattern '\('/);
    const un = evaluatePolicy({ alphabetical: {} }, { pattern: 'a(?i)b' }, ['ab'], undefined);
    assert.equal(un.error, undefined);
    assert.equal(un.selected, null);
    assert.match(un.unsupported ?? '', /filterTags.pattern/);
  });
  it('a pattern that matches nothing: "version list argument cannot be empty"', () => {
    assert.equal(
      pick({ semver: { range: '*' } }, ['1.0.0'], { pattern: '^v' }),
      'error: version list argument cannot be empty',
    );
  });
});

describe('image policy: exclusionList (imagerepository_controller.go filterOutTags)', () => {
  it('drops matching tags before anything else and names the regex', () => {
    const ev = evaluatePolicy({ alphabetical: {} }, undefined, ['zz.sig', 'b', 'a'], ['^.*\\.sig$']);
    assert.deepEqual(ev.excluded, [{ tag: 'zz.sig', by: '^.*\\.sig$' }]);
    assert.equal(ev.selected, 'b');
  });
  it('a policy with no choice is invalid', () => {
    assert.equal(pick({}, ['a']), 'error: invalid policy: given ImagePolicyChoice object is invalid');
  });
});
