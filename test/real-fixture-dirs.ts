// The captured real-controller fixtures (written by `npm run testenv:capture`): the current Flux
// release's in test/fixtures/real/<scenario>/, an older release's in test/fixtures/real/v<minor>/<scenario>/
// (`testenv:capture -- --flux <minor>`). Each has <scenario>.expected.json beside it.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const REAL_FIXTURES = join(import.meta.dirname, 'fixtures', 'real');

export interface RealFixture {
  /** `<scenario>` for the current release, `v2.2/<scenario>` for an older one. */
  name: string;
  dir: string;
  expected: string;
  /** `current`, or the older release's directory (`v2.2`). */
  release: string;
}

const isDir = (p: string) => statSync(p).isDirectory();

function under(root: string, prefix: string, release: string): RealFixture[] {
  return readdirSync(root)
    .filter((n) => isDir(join(root, n)) && existsSync(join(root, `${n}.expected.json`)))
    .sort()
    .map((n) => ({ name: `${prefix}${n}`, dir: join(root, n), expected: join(root, `${n}.expected.json`), release }));
}

/** Every captured fixture, the current release's first. */
export function realFixtures(root = REAL_FIXTURES): RealFixture[] {
  if (!existsSync(root)) return [];
  const releases = readdirSync(root)
    .filter((n) => /^v\d+\.\d+$/.test(n) && isDir(join(root, n)))
    .sort();
  return [...under(root, '', 'current'), ...releases.flatMap((r) => under(join(root, r), `${r}/`, r))];
}
