// Runs the CLI from source (for tests that spawn `fluxdoctor` as a child process, e.g. `fluxdoctor mcp`).

import { main } from '../src/cli/main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`fluxdoctor: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
