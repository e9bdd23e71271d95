// Builds the test environment's programs from the Go module proxy and caches them outside the repo,
// keyed by the pinned versions: etcd, kube-apiserver (+ kube-controller-manager), and the Flux
// controllers. Each program is built in its own generated wrapper module so dependency sets never mix.
//
//   npx tsx testenv/build.ts [--tier core|full] [--only name,…] [--flux 2.2]
//
// A program whose binary exists is skipped, so a warm run takes seconds. `--flux 2.2` builds the
// older Flux tier (testenv/versions.ts, docs/testenv.md) into its own cache directory; a program
// another tier has already built at the same version is copied from there instead of rebuilt.

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binDir, cacheDir } from './paths.js';
import { TIERS, tier, type Versions } from './versions.js';

const GOENV = {
  ...process.env,
  CGO_ENABLED: '0',
  GOTOOLCHAIN: 'local',
  GOFLAGS: '-trimpath',
};

function log(msg: string): void {
  process.stderr.write(`[testenv build] ${msg}\n`);
}

function go(args: string[], cwd: string): string {
  const r = spawnSync('go', args, { cwd, env: GOENV, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`go ${args.join(' ')} (in ${cwd}) failed:\n${r.stderr?.slice(-4000)}`);
  return r.stdout;
}

/** `go mod download -json mod@ver` → the module's directory and go.mod path in the module cache. */
export function moduleInfo(mod: string, version: string): { Dir: string; GoMod: string } {
  const out = execFileSync('go', ['mod', 'download', '-json', `${mod}@${version}`], {
    env: GOENV,
    encoding: 'utf8',
    cwd: cacheDir(),
  });
  return JSON.parse(out);
}

interface GoModJson {
  Require?: { Path: string; Version: string }[];
  Replace?: { Old: { Path: string; Version?: string }; New: { Path: string; Version?: string } }[];
}

function goModJson(file: string): GoModJson {
  return JSON.parse(
    execFileSync('go', ['mod', 'edit', '-json', file], { env: GOENV, encoding: 'utf8', cwd: cacheDir() }),
  );
}

function wrapperDir(name: string): string {
  const d = join(cacheDir(), 'src', name);
  mkdirSync(d, { recursive: true });
  return d;
}

function initWrapper(dir: string, name: string): void {
  if (!existsSync(join(dir, 'go.mod'))) go(['mod', 'init', `local/${name}`], dir);
}

function timed(what: string, fn: () => void): void {
  const t0 = Date.now();
  log(`${what}…`);
  fn();
  log(`${what}: done in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
}

// ---------- programs ----------

/**
 * Copy `bin` from another tier's cache directory when that tier pins the same version of it
 * (`same(v)` compares the versions), so tiers share etcd, kube-apiserver and unchanged controllers.
 */
function reuse(bin: string, same: (v: Versions) => boolean): boolean {
  const target = join(binDir(), bin);
  for (const t of Object.values(TIERS)) {
    const dir = binDir(t);
    if (dir === binDir() || !same(t.versions) || !existsSync(join(dir, bin))) continue;
    copyFileSync(join(dir, bin), target);
    log(`${bin}: copied from ${dir}`);
    return true;
  }
  return false;
}

function buildKubernetes(withKcm: boolean): void {
  const v = tier().versions.kubernetes;
  const out = binDir();
  const want = ['kube-apiserver', ...(withKcm ? ['kube-controller-manager'] : [])].filter(
    (b) => !existsSync(join(out, b)) && !reuse(b, (o) => o.kubernetes === v),
  );
  if (want.length === 0) return;
  timed(`kubernetes v${v}: ${want.join(', ')}`, () => {
    const dir = wrapperDir(`kubernetes-${v}`);
    initWrapper(dir, 'k8sbins');
    // k8s.io/kubernetes requires its staging modules at v0.0.0 with local replaces a consumer ignores:
    // map each one to the published v0.<minor>.<patch>.
    const gomod = goModJson(moduleInfo('k8s.io/kubernetes', `v${v}`).GoMod);
    const staging = `v0.${v.split('.').slice(1).join('.')}`;
    for (const r of gomod.Require ?? []) {
      if (r.Version === 'v0.0.0' && r.Path.startsWith('k8s.io/'))
        go(['mod', 'edit', `-replace=${r.Path}=${r.Path}@${staging}`], dir);
    }
    for (const b of want) go(['get', '-tool', `k8s.io/kubernetes/cmd/${b}@v${v}`], dir);
    const [major, minor] = v.split('.');
    const ldflags = [
      '-s -w',
      `-X k8s.io/component-base/version.gitVersion=v${v}`,
      `-X k8s.io/component-base/version.gitMajor=${major}`,
      `-X k8s.io/component-base/version.gitMinor=${minor}`,
      '-X k8s.io/component-base/version.gitTreeState=clean',
    ].join(' ');
    go(['build', '-ldflags', ldflags, '-o', `${out}/`, ...want.map((b) => `k8s.io/kubernetes/cmd/${b}`)], dir);
  });
}

function buildEtcd(): void {
  const v = tier().versions.etcd;
  if (existsSync(join(binDir(), 'etcd')) || reuse('etcd', (o) => o.etcd === v)) return;
  timed(`etcd v${v}`, () => {
    const dir = wrapperDir(`etcd-${v}`);
    initWrapper(dir, 'etcdbin');
    copyReplaces(dir, 'go.etcd.io/etcd/server/v3', `v${v}`);
    go(['get', '-tool', `go.etcd.io/etcd/server/v3@v${v}`], dir);
    go(['build', '-ldflags', '-s -w', '-o', join(binDir(), 'etcd'), 'go.etcd.io/etcd/server/v3'], dir);
  });
}

/** A dependency's replace directives are ignored: copy the non-local ones into the wrapper. */
function copyReplaces(dir: string, mod: string, version: string): void {
  const gomod = goModJson(moduleInfo(mod, version).GoMod);
  for (const r of gomod.Replace ?? []) {
    if (!r.New.Version) continue; // a ./local path (the api submodule): the proxy serves it instead
    const old = r.Old.Version ? `${r.Old.Path}@${r.Old.Version}` : r.Old.Path;
    go(['mod', 'edit', `-replace=${old}=${r.New.Path}@${r.New.Version}`], dir);
  }
}

function buildController(name: string): void {
  const v = tier().versions.controllers[name]!;
  const bin = join(binDir(), name);
  if (existsSync(bin) || reuse(name, (o) => o.controllers[name] === v)) return;
  timed(`${name} ${v}`, () => {
    const mod = `github.com/fluxcd/${name}`;
    const dir = wrapperDir(`${name}-${v}`);
    initWrapper(dir, name.replace(/-/g, ''));
    copyReplaces(dir, mod, v);
    go(['get', '-tool', `${mod}@${v}`], dir);
    go(['build', '-ldflags', '-s -w', '-o', bin, mod], dir);
  });
}

export interface BuildOptions {
  tier: 'core' | 'full';
  only?: string[];
}

export function build(opts: BuildOptions): void {
  mkdirSync(binDir(), { recursive: true });
  const full = opts.tier === 'full';
  const t = tier();
  const steps: [string, () => void][] = [
    ['etcd', buildEtcd],
    // kube-controller-manager is not needed (see docs/testenv.md) unless asked for.
    ['kubernetes', () => buildKubernetes(process.env.FLUXDOCTOR_TESTENV_KCM === '1')],
    ...t.core.map((c): [string, () => void] => [c, () => buildController(c)]),
    ...(full ? t.optional.map((c): [string, () => void] => [c, () => buildController(c)]) : []),
  ];
  for (const [name, fn] of steps) {
    if (opts.only && !opts.only.includes(name)) continue;
    fn();
  }
  writeFileSync(join(binDir(), 'VERSIONS.json'), `${JSON.stringify(t.versions, null, 2)}\n`);
}

export function clean(): void {
  rmSync(join(cacheDir(), 'src'), { recursive: true, force: true });
}

if (process.argv[1]?.endsWith('build.ts')) {
  const args = process.argv.slice(2);
  const tierAt = args.indexOf('--tier');
  const onlyAt = args.indexOf('--only');
  const set = (tierAt >= 0 ? args[tierAt + 1] : process.env.FLUXDOCTOR_TESTENV_TIER) === 'full' ? 'full' : 'core';
  const only = onlyAt >= 0 ? args[onlyAt + 1]!.split(',') : undefined;
  const flux = tier(args);
  const t0 = Date.now();
  build({ tier: set, only });
  log(
    `Flux ${flux.name} tier (${flux.versions.flux}): all built in ${((Date.now() - t0) / 1000).toFixed(0)}s → ${binDir()}`,
  );
}
