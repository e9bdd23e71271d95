// Prints the state of the test environment: each process, the API server, the kubeconfig path.
//   npm run testenv:status            human summary, exit 0 when everything runs
//   npm run -s testenv:status -- --kubeconfig   just the kubeconfig path (for export KUBECONFIG=…)

import { readFileSync } from 'node:fs';
import { alive, readState, waitHttp } from './proc.js';

export async function status(): Promise<number> {
  const s = readState();
  if (process.argv.includes('--kubeconfig')) {
    if (!s) return 1;
    process.stdout.write(`${s.kubeconfig}\n`);
    return 0;
  }
  if (!s) {
    process.stdout.write('testenv: not running (npm run testenv:up)\n');
    return 1;
  }
  let ok = true;
  for (const [name, pid] of Object.entries(s.pids)) {
    const a = alive(pid);
    ok &&= a;
    process.stdout.write(`${a ? 'running' : 'STOPPED'}  ${name.padEnd(30)} pid ${pid}  log ${s.logs[name] ?? '-'}\n`);
  }
  try {
    await waitHttp(`${s.server}/readyz`, { ca: readFileSync(s.caFile), token: s.token, timeoutMs: 3000 });
    process.stdout.write(`api server ready at ${s.server}\n`);
  } catch (e) {
    ok = false;
    process.stdout.write(`api server NOT ready: ${(e as Error).message}\n`);
  }
  process.stdout.write(`export KUBECONFIG=${s.kubeconfig}\n`);
  return ok ? 0 : 1;
}

if (process.argv[1]?.endsWith('status.ts')) {
  status().then((code) => {
    process.exitCode = code;
  });
}
