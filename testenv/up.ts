// Starts the test environment: etcd, kube-apiserver, the Flux CRDs and controllers, stand-in
// controller Deployments, and loopback Git and Helm servers. Idempotent: when it is already up,
// it says so and leaves it alone. Everything listens on 127.0.0.1 only.
//
//   npm run testenv:up       (builds what is missing first)
//   export KUBECONFIG=$(npm run -s testenv:status -- --kubeconfig)
//   npm run testenv:up -- --flux 2.2     (the older Flux tier, in its own run directory)

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { build, moduleInfo } from './build.js';
import { Kube, type Obj, sleep } from './kube.js';
import { binDir, kubeconfigPath, runDir, statePath, tierBuilt } from './paths.js';
import { alive, freePorts, readState, type State, startProcess, stopProcess, waitHttp, writeState } from './proc.js';
import { tier } from './versions.js';

/** Repositories and tags the test registry serves. */
export const REGISTRY_REPOS: Record<string, string[]> = {
  'apps/web': ['1.0.0', '1.1.0', '1.2.0', '1.2.1'],
  'apps/api': ['v2.0.0', 'v2.1.0', 'latest'],
};

const log = (m: string) => process.stderr.write(`[testenv] ${m}\n`);
export const FLUX_NS = 'flux-system';

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makePki(dir: string): { token: string } {
  mkdirSync(dir, { recursive: true });
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '3650',
      '-subj',
      '/CN=fluxdoctor-testenv-ca',
    ],
    dir,
  );
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'apiserver.key',
      '-out',
      'apiserver.csr',
      '-subj',
      '/CN=kube-apiserver',
    ],
    dir,
  );
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'apiserver.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'apiserver.crt',
      '-days',
      '3650',
      '-extfile',
      'san.ext',
    ],
    dir,
  );
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  const token = randomBytes(24).toString('hex');
  writeFileSync(join(dir, 'tokens.csv'), `${token},admin,admin-uid,"system:masters"\n`);
  return { token };
}

/**
 * A certificate for the Helm repository's HTTPS listener, signed by a CA of its own
 * (`helm-ca.crt`), not the cluster CA: a HelmRepository that is not given that CA does not trust it.
 */
function makeHelmTls(dir: string): { cert: string; key: string } {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'helm-ca.key',
      '-out',
      'helm-ca.crt',
      '-days',
      '3650',
      '-subj',
      '/CN=fluxdoctor-testenv-helm-ca',
    ],
    dir,
  );
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'helm.key', '-out', 'helm.csr', '-subj', '/CN=helm-repository'],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'helm.csr',
      '-CA',
      'helm-ca.crt',
      '-CAkey',
      'helm-ca.key',
      '-CAcreateserial',
      '-out',
      'helm.crt',
      '-days',
      '3650',
      '-extfile',
      'san.ext',
    ],
    dir,
  );
  return { cert: join(dir, 'helm.crt'), key: join(dir, 'helm.key') };
}

function kubeconfig(server: string, caFile: string, token: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: fluxdoctor-testenv
  cluster:
    server: ${server}
    certificate-authority: ${caFile}
users:
- name: admin
  user:
    token: ${token}
contexts:
- name: fluxdoctor-testenv
  context:
    cluster: fluxdoctor-testenv
    user: admin
current-context: fluxdoctor-testenv
`;
}

function moduleCrds(controller: string, version: string): Obj[] {
  const dir = join(moduleInfo(`github.com/fluxcd/${controller}`, version).Dir, 'config', 'crd', 'bases');
  return readdirSync(dir)
    .filter((x) => x.endsWith('.yaml'))
    .map((f) => load(readFileSync(join(dir, f), 'utf8')) as Obj);
}

/**
 * The CRDs of every controller, read from the controller's own module in the Go module cache, at the
 * tier's versions. A tier's `crdBridge` adds newer served versions to older CRDs (see versions.ts).
 */
export function crdDocs(controllers: string[]): Obj[] {
  const t = tier();
  const out: Obj[] = [];
  for (const c of controllers) {
    for (const crd of moduleCrds(c, t.versions.controllers[c]!)) {
      crd.metadata.labels = {
        ...(crd.metadata.labels ?? {}),
        'app.kubernetes.io/part-of': 'flux',
        'app.kubernetes.io/instance': FLUX_NS,
        'app.kubernetes.io/component': c,
        'app.kubernetes.io/version': `v${t.versions.flux}`,
      };
      out.push(crd);
    }
  }
  for (const b of t.crdBridge ?? []) {
    for (const newer of moduleCrds(b.module, b.version)) {
      const crd = out.find((o) => o.spec.group === newer.spec.group && o.spec.names.kind === newer.spec.names.kind);
      if (!crd || !b.kinds.includes(newer.spec.names.kind)) continue;
      const have = new Set(crd.spec.versions.map((v: Obj) => v.name));
      for (const v of newer.spec.versions as Obj[])
        if (!have.has(v.name)) crd.spec.versions.push({ ...v, storage: false, served: true });
    }
  }
  return out;
}

/** What a controller's Deployment looks like in a real cluster, with a healthy status written. */
export function standInDeployment(name: string): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: FLUX_NS,
      labels: {
        app: name,
        'app.kubernetes.io/part-of': 'flux',
        'app.kubernetes.io/instance': FLUX_NS,
        'app.kubernetes.io/component': name,
        'control-plane': 'controller',
      },
      annotations: { 'fluxdoctor.io/testenv': 'stand-in: the controller runs as a host process' },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          serviceAccountName: name,
          containers: [{ name: 'manager', image: `ghcr.io/fluxcd/${name}:${tier().versions.controllers[name]}` }],
        },
      },
    },
  };
}

export function healthyDeploymentStatus(generation: number): Obj {
  const now = new Date().toISOString();
  return {
    observedGeneration: generation,
    replicas: 1,
    updatedReplicas: 1,
    readyReplicas: 1,
    availableReplicas: 1,
    conditions: [
      {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
        lastUpdateTime: now,
        lastTransitionTime: now,
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: 'ReplicaSet has successfully progressed.',
        lastUpdateTime: now,
        lastTransitionTime: now,
      },
    ],
  };
}

/** The status a Deployment has when its pod never becomes available (crashing, unpullable…). */
export function unavailableDeploymentStatus(generation: number, progressing: { reason: string; message: string }): Obj {
  const now = new Date().toISOString();
  return {
    observedGeneration: generation,
    replicas: 1,
    updatedReplicas: 1,
    readyReplicas: 0,
    availableReplicas: 0,
    unavailableReplicas: 1,
    conditions: [
      {
        type: 'Available',
        status: 'False',
        reason: 'MinimumReplicasUnavailable',
        message: 'Deployment does not have minimum availability.',
        lastUpdateTime: now,
        lastTransitionTime: now,
      },
      { type: 'Progressing', status: 'True', ...progressing, lastUpdateTime: now, lastTransitionTime: now },
    ],
  };
}

export function controllerArgs(name: string, ports: Record<string, number>, dir: string): string[] {
  const common = [
    `--health-addr=127.0.0.1:${ports[`${name}-health`]}`,
    '--metrics-addr=0',
    '--log-encoding=json',
    '--log-level=debug',
  ];
  const events = `--events-addr=http://127.0.0.1:${ports['notification-events']}/`;
  return [...baseArgs(name, common, events, ports, dir), ...(tier().extraArgs[name] ?? [])];
}

function baseArgs(
  name: string,
  common: string[],
  events: string,
  ports: Record<string, number>,
  dir: string,
): string[] {
  switch (name) {
    case 'source-controller':
      return [
        ...common,
        events,
        `--storage-path=${join(dir, 'storage')}`,
        `--storage-addr=127.0.0.1:${ports['source-storage']}`,
        `--storage-adv-addr=127.0.0.1:${ports['source-storage']}`,
        '--requeue-dependency=5s',
      ];
    case 'kustomize-controller':
      return [...common, events, '--no-remote-bases=true', '--requeue-dependency=5s', '--concurrent=10'];
    case 'helm-controller':
      return [...common, events, '--requeue-dependency=5s', '--concurrent=10'];
    case 'notification-controller':
      return [
        ...common,
        `--events-addr=127.0.0.1:${ports['notification-events']}`,
        `--receiverAddr=127.0.0.1:${ports['notification-receiver']}`,
      ];
    case 'image-reflector-controller':
      return [...common, events, `--storage-path=${join(dir, 'storage')}`, '--requeue-dependency=5s'];
    default:
      return [...common, events];
  }
}

export interface UpOptions {
  /** Build missing binaries first (default true). */
  build?: boolean;
  /** Which controllers to start (default: every one that is built). */
  controllers?: string[];
}

export async function up(opts: UpOptions = {}): Promise<State> {
  const existing = readState();
  if (existing && Object.values(existing.pids).every(alive)) {
    log(`already up (${existing.server}); KUBECONFIG=${existing.kubeconfig}`);
    return existing;
  }
  if (existing) {
    log('a previous environment is partly running: stopping it first');
    const { down } = await import('./down.js');
    await down();
  }
  const t = tier();
  // An older tier is built only when asked for (npm run testenv:build -- --flux <tier>): never here.
  if (t.name !== 'current' && !tierBuilt(t))
    throw new Error(`the Flux ${t.name} tier is not built: run npm run testenv:build -- --flux ${t.name}`);
  if (opts.build !== false) build({ tier: process.env.FLUXDOCTOR_TESTENV_TIER === 'core' ? 'core' : 'full' });
  const bin = binDir();
  const wanted = opts.controllers ?? [...t.core, ...t.optional].filter((c) => existsSync(join(bin, c)));
  if (!opts.controllers)
    for (const c of t.core)
      if (!wanted.includes(c))
        throw new Error(
          `${c} is not built: run npm run testenv:build${t.name === 'current' ? '' : ` -- --flux ${t.name}`}`,
        );

  const dir = runDir();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const pki = join(dir, 'pki');
  const { token } = makePki(pki);
  const helmTls = makeHelmTls(pki);
  const names = [
    'etcd-client',
    'etcd-peer',
    'apiserver',
    'source-storage',
    'notification-events',
    'notification-receiver',
    'git',
    'helm',
    'helm-tls',
    'registry',
  ];
  for (const c of wanted) names.push(`${c}-health`);
  const allocated = await freePorts(names.length);
  const ports = Object.fromEntries(names.map((n, i) => [n, allocated[i]!]));
  const state: State = {
    runDir: dir,
    binDir: bin,
    server: `https://127.0.0.1:${ports.apiserver}`,
    token,
    caFile: join(pki, 'ca.crt'),
    kubeconfig: kubeconfigPath(),
    ports,
    pids: {},
    logs: {},
    auth: { username: 'flux', password: randomBytes(12).toString('hex') },
    startedAt: new Date().toISOString(),
  };
  const save = () => writeState(state);
  const logOf = (n: string) => {
    state.logs[n] = join(dir, 'logs', `${n}.log`);
    return state.logs[n]!;
  };

  // etcd, with its data in memory when /dev/shm exists.
  const etcdData = existsSync('/dev/shm') ? `/dev/shm/fluxdoctor-etcd-${ports['etcd-client']}` : join(dir, 'etcd');
  state.pids.etcd = startProcess(
    join(bin, 'etcd'),
    [
      '--name=testenv',
      `--data-dir=${etcdData}`,
      `--listen-client-urls=http://127.0.0.1:${ports['etcd-client']}`,
      `--advertise-client-urls=http://127.0.0.1:${ports['etcd-client']}`,
      `--listen-peer-urls=http://127.0.0.1:${ports['etcd-peer']}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${ports['etcd-peer']}`,
      `--initial-cluster=testenv=http://127.0.0.1:${ports['etcd-peer']}`,
      '--listen-metrics-urls=',
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    logOf('etcd'),
  );
  save();
  await waitHttp(`http://127.0.0.1:${ports['etcd-client']}/health`, { pid: state.pids.etcd, log: state.logs.etcd });
  log('etcd is up');

  state.pids['kube-apiserver'] = startProcess(
    join(bin, 'kube-apiserver'),
    [
      `--etcd-servers=http://127.0.0.1:${ports['etcd-client']}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${ports.apiserver}`,
      `--tls-cert-file=${join(pki, 'apiserver.crt')}`,
      `--tls-private-key-file=${join(pki, 'apiserver.key')}`,
      `--client-ca-file=${join(pki, 'ca.crt')}`,
      `--token-auth-file=${join(pki, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      '--service-cluster-ip-range=10.0.0.0/24',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(pki, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
      '--disable-admission-plugins=ServiceAccount',
      '--endpoint-reconciler-type=none',
      '--profiling=false',
      `--cert-dir=${pki}`,
    ],
    logOf('kube-apiserver'),
  );
  save();
  const ca = readFileSync(state.caFile);
  await waitHttp(`${state.server}/readyz`, {
    ca,
    token,
    pid: state.pids['kube-apiserver'],
    log: state.logs['kube-apiserver'],
    timeoutMs: 120_000,
  });
  writeFileSync(state.kubeconfig, kubeconfig(state.server, state.caFile, token));
  log(`kube-apiserver is up at ${state.server}`);

  const kube = new Kube({ server: state.server, token, caFile: state.caFile });
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: FLUX_NS } });
  const crds = crdDocs(wanted);
  for (const crd of crds) await kube.apply(crd);
  for (const crd of crds) {
    await kube.waitFor('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, crd.metadata.name, (o) =>
      (o.status?.conditions ?? []).some((c: Obj) => c.type === 'Established' && c.status === 'True'),
    );
  }
  log(`${crds.length} Flux CRDs established`);

  for (const c of wanted) {
    await kube.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: c, namespace: FLUX_NS } });
    const d = await kube.apply(standInDeployment(c));
    await kube.patchStatus(d, healthyDeploymentStatus(d.metadata.generation));
  }

  for (const c of wanted) {
    const cdir = join(dir, c);
    mkdirSync(join(cdir, 'tmp'), { recursive: true });
    mkdirSync(join(cdir, 'storage'), { recursive: true });
    state.pids[c] = startProcess(join(bin, c), controllerArgs(c, ports, cdir), logOf(c), {
      KUBECONFIG: state.kubeconfig,
      RUNTIME_NAMESPACE: FLUX_NS,
      TMPDIR: join(cdir, 'tmp'),
      SOURCE_CONTROLLER_LOCALHOST: `127.0.0.1:${ports['source-storage']}`,
    });
    save();
  }
  for (const c of wanted) {
    await waitHttp(`http://127.0.0.1:${ports[`${c}-health`]}/readyz`, {
      pid: state.pids[c],
      log: state.logs[c],
      timeoutMs: 120_000,
    });
  }
  log(`controllers ready: ${wanted.join(', ')}`);

  // Loopback source servers.
  const tsx = [join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs')];
  state.pids['git-server'] = startProcess(
    process.execPath,
    [...tsx, join(import.meta.dirname, 'servers', 'git-http.ts')],
    logOf('git-server'),
    {
      PORT: String(ports.git),
      GIT_ROOT: join(dir, 'git'),
      AUTH_USER: state.auth.username,
      AUTH_PASSWORD: state.auth.password,
    },
  );
  state.pids['helm-server'] = startProcess(
    process.execPath,
    [...tsx, join(import.meta.dirname, 'servers', 'helm-repo.ts')],
    logOf('helm-server'),
    {
      PORT: String(ports.helm),
      HELM_ROOT: join(dir, 'helm'),
      CHARTS: join(import.meta.dirname, 'charts'),
      TLS_PORT: String(ports['helm-tls']),
      TLS_CERT: helmTls.cert,
      TLS_KEY: helmTls.key,
      AUTH_USER: state.auth.username,
      AUTH_PASSWORD: state.auth.password,
    },
  );
  state.pids.registry = startProcess(
    process.execPath,
    [...tsx, join(import.meta.dirname, 'servers', 'registry.ts')],
    logOf('registry'),
    {
      PORT: String(ports.registry),
      REPOS: JSON.stringify(REGISTRY_REPOS),
    },
  );
  save();
  await waitHttp(`http://127.0.0.1:${ports.registry}/healthz`, { pid: state.pids.registry, log: state.logs.registry });
  await waitHttp(`http://127.0.0.1:${ports.git}/healthz`, {
    pid: state.pids['git-server'],
    log: state.logs['git-server'],
  });
  await waitHttp(`http://127.0.0.1:${ports.helm}/healthz`, {
    pid: state.pids['helm-server'],
    log: state.logs['helm-server'],
  });
  await waitHttp(`https://127.0.0.1:${ports['helm-tls']}/healthz`, {
    ca: readFileSync(join(pki, 'helm-ca.crt')),
    pid: state.pids['helm-server'],
    log: state.logs['helm-server'],
  });
  log(
    `git server on 127.0.0.1:${ports.git}, helm repository on 127.0.0.1:${ports.helm} (HTTPS ${ports['helm-tls']}), registry on 127.0.0.1:${ports.registry}`,
  );
  save();
  await sleep(100);
  log(`Flux ${t.name} tier (${t.versions.flux}) up in ${statePath()}; export KUBECONFIG=${state.kubeconfig}`);
  return state;
}

/**
 * Stop the running kube-apiserver (as a crash or an upgrade would) and return what starting it again
 * needs: its command line, read from /proc. etcd and the controllers keep running.
 */
export async function stopApiServer(state: State): Promise<string[]> {
  const pid = state.pids['kube-apiserver']!;
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  await stopProcess(pid);
  return argv;
}

/** Start the kube-apiserver again with the same command line, and wait until it is ready. */
export async function startApiServer(state: State, argv: string[]): Promise<void> {
  const [cmd, ...args] = argv;
  state.pids['kube-apiserver'] = startProcess(cmd!, args, state.logs['kube-apiserver']!);
  writeState(state);
  await waitHttp(`${state.server}/readyz`, {
    ca: readFileSync(state.caFile),
    token: state.token,
    pid: state.pids['kube-apiserver'],
    log: state.logs['kube-apiserver'],
    timeoutMs: 120_000,
  });
}

/** Restart the kube-apiserver with the same arguments, down for `downMs`. */
export async function restartApiServer(state: State, downMs = 0): Promise<void> {
  const argv = await stopApiServer(state);
  if (downMs > 0) await sleep(downMs);
  await startApiServer(state, argv);
}

if (process.argv[1]?.endsWith('up.ts')) {
  const t0 = Date.now();
  up().then(
    () => log(`ready in ${((Date.now() - t0) / 1000).toFixed(0)}s`),
    async (e) => {
      process.stderr.write(`[testenv] up failed: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
