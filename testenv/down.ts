// Stops every process of the test environment and removes its in-memory etcd data. Idempotent.
//   npm run testenv:down

import { existsSync, readdirSync, rmSync } from 'node:fs';
import { statePath } from './paths.js';
import { alive, readState, stopProcess } from './proc.js';

export async function down(): Promise<void> {
  const s = readState();
  if (!s) {
    process.stderr.write('[testenv] not running\n');
    return;
  }
  // Stop in reverse order of start: servers and controllers before the API server and etcd.
  const order = Object.keys(s.pids).reverse();
  for (const name of order) await stopProcess(s.pids[name]!);
  const left = order.filter((n) => alive(s.pids[n]));
  if (existsSync('/dev/shm')) {
    for (const d of readdirSync('/dev/shm')) {
      if (d === `fluxdoctor-etcd-${s.ports['etcd-client']}`) rmSync(`/dev/shm/${d}`, { recursive: true, force: true });
    }
  }
  rmSync(statePath(), { force: true });
  if (left.length > 0) throw new Error(`still running after SIGKILL: ${left.join(', ')}`);
  process.stderr.write('[testenv] down\n');
}

if (process.argv[1]?.endsWith('down.ts')) {
  down().catch((e) => {
    process.stderr.write(`[testenv] down failed: ${(e as Error).message}\n`);
    process.exitCode = 1;
  });
}
