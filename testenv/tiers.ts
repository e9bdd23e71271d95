// Lists the Flux tiers of the test environment and whether each is built. CI builds and runs only
// the current one; .ci/run prints this so a missing older tier shows as skipped, not as passed.
//
//   npx tsx testenv/tiers.ts

import { binDir, tierBuilt } from './paths.js';
import { TIERS } from './versions.js';

for (const t of Object.values(TIERS)) {
  const built = tierBuilt(t);
  const how = t.name === 'current' ? 'npm run testenv:build' : `npm run testenv:build -- --flux ${t.name}`;
  const what =
    t.name === 'current'
      ? 'run by CI'
      : `optional, not run by CI; its captured fixtures (test/fixtures/real/${t.fixtures}/) are replayed by the unit tests`;
  process.stdout.write(
    `== testenv Flux ${t.name} tier (Flux ${t.versions.flux}): ${built ? `built in ${binDir(t)}` : `not built (${how})`}; ${what}\n`,
  );
}
