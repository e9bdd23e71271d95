// The scenario framework: each scenario breaks something the way users break it, in its own
// namespace, and waits until the real controller reports the failure. `capture` then writes the
// cluster state it produced (a snapshot file `diagnose --snapshot` reads, plus the controllers' log
// lines about that namespace).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dump } from 'js-yaml';
import { KINDS } from '../../src/kinds/table.js';
import { maskRaw, normalizeObject } from '../../src/read/normalize.js';
import type { Kube, Obj } from '../kube.js';
import type { State } from '../proc.js';
import { apiOf } from '../versions.js';

export interface Expectation {
  code: string;
  /** `Kind/namespace/name` of the root cause. */
  rootCause: string;
  /** Objects that must be among the affected ones. */
  affected?: string[];
  severity?: 'error' | 'warning' | 'info';
}

export interface ScenarioContext {
  kube: Kube;
  state: State;
  /** The scenario's own namespace (created before run). */
  ns: string;
  git: GitRepos;
  /** URL of the test Helm repository (`public` or `private` with basic auth). */
  helmUrl(kind?: 'public' | 'private'): string;
  /** A port on 127.0.0.1 where nothing listens. */
  closedPort: number;
  /** host:port of the test OCI registry (see REGISTRY_REPOS in up.ts). */
  registry: string;
}

export interface Scenario {
  name: string;
  /** What it reproduces, in one line. */
  description: string;
  /** Controllers it needs besides the core ones. */
  needs?: string[];
  /** Runs last and alone (it stops a controller). */
  disruptive?: boolean;
  expect: (ns: string) => Expectation;
  run(ctx: ScenarioContext): Promise<void>;
  /** Undo what must not outlive the scenario (a stopped controller). */
  cleanup?(ctx: ScenarioContext): Promise<void>;
}

// ---------- Git repositories on the loopback Git server ----------

export class GitRepos {
  constructor(private state: State) {}

  private dir(name: string, priv: boolean): string {
    return join(this.state.runDir, 'git', priv ? 'private' : 'public', `${name}.git`);
  }

  url(name: string, priv = false): string {
    return `http://127.0.0.1:${this.state.ports.git}/${priv ? 'private' : 'public'}/${name}.git`;
  }

  /** Create (or add a commit to) a repository with these files on `branch`. Returns the commit sha. */
  commit(
    name: string,
    files: Record<string, string>,
    opts: { priv?: boolean; branch?: string; message?: string; readOnly?: boolean } = {},
  ): string {
    const bare = this.dir(name, opts.priv === true);
    const branch = opts.branch ?? 'main';
    const git = (args: string[], cwd: string) =>
      execFileSync('git', args, {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'fluxdoctor testenv',
          GIT_AUTHOR_EMAIL: 'testenv@fluxdoctor.invalid',
          GIT_COMMITTER_NAME: 'fluxdoctor testenv',
          GIT_COMMITTER_EMAIL: 'testenv@fluxdoctor.invalid',
        },
      }).trim();
    if (!existsSync(bare)) {
      mkdirSync(bare, { recursive: true });
      git(['init', '--bare', '--initial-branch', branch], bare);
      // Pushes over HTTP are accepted unless the scenario wants the server to refuse them.
      git(['config', 'http.receivepack', opts.readOnly ? 'false' : 'true'], bare);
    }
    const work = mkdtempSync(join(tmpdir(), 'fd-git-'));
    try {
      const hasBranch =
        execFileSync('git', ['branch', '--list', branch], {
          cwd: bare,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        }).trim() !== '';
      if (hasBranch) git(['clone', '--branch', branch, bare, work], tmpdir());
      else {
        git(['init', '--initial-branch', branch], work);
        git(['remote', 'add', 'origin', bare], work);
      }
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), content);
      }
      git(['add', '-A'], work);
      git(['commit', '--allow-empty', '-m', opts.message ?? 'fluxdoctor testenv commit'], work);
      git(['push', 'origin', `HEAD:refs/heads/${branch}`], work);
      return git(['rev-parse', 'HEAD'], work);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}

// ---------- object builders ----------

// The apiVersion of each Flux kind comes from the active tier (testenv/versions.ts: CURRENT_API and
// each older tier's overrides), so one scenario writes the objects an older release serves.
export { apiOf } from '../versions.js';

/** The current release's apiVersions (the e2e tests, which run on the current tier only). */
export const SRC = 'source.toolkit.fluxcd.io/v1';
export const KS = 'kustomize.toolkit.fluxcd.io/v1';
export const HELM = 'helm.toolkit.fluxcd.io/v2';
export const IMG = 'image.toolkit.fluxcd.io/v1';
export const NOTIF = 'notification.toolkit.fluxcd.io/v1';
export const NOTIF_B3 = 'notification.toolkit.fluxcd.io/v1beta3';

export function gitRepository(ns: string, name: string, spec: Obj): Obj {
  return {
    apiVersion: apiOf('GitRepository'),
    kind: 'GitRepository',
    metadata: { name, namespace: ns },
    spec: { interval: '1m', ...spec },
  };
}

export function kustomization(ns: string, name: string, spec: Obj): Obj {
  return {
    apiVersion: apiOf('Kustomization'),
    kind: 'Kustomization',
    metadata: { name, namespace: ns },
    spec: { interval: '1m', prune: true, retryInterval: '10s', ...spec },
  };
}

export function helmRepository(ns: string, name: string, spec: Obj): Obj {
  return {
    apiVersion: apiOf('HelmRepository'),
    kind: 'HelmRepository',
    metadata: { name, namespace: ns },
    spec: { interval: '1m', ...spec },
  };
}

export function helmRelease(ns: string, name: string, spec: Obj): Obj {
  return {
    apiVersion: apiOf('HelmRelease'),
    kind: 'HelmRelease',
    metadata: { name, namespace: ns },
    spec: { interval: '1m', ...spec },
  };
}

export function secret(ns: string, name: string, stringData: Record<string, string>): Obj {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type: 'Opaque', stringData };
}

export function configMap(ns: string, name: string, data: Record<string, string>): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data };
}

/** A plain Deployment manifest as YAML text for a Git repository. */
export function deploymentYaml(
  name: string,
  ns: string,
  opts: { image?: string; selector?: string; replicas?: number } = {},
): string {
  return dump({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: { app: opts.selector ?? name } },
      template: {
        metadata: { labels: { app: opts.selector ?? name } },
        spec: { containers: [{ name: 'app', image: opts.image ?? 'ghcr.io/stefanprodan/podinfo:6.7.1' }] },
      },
    },
  });
}

// ---------- capture ----------

/** The kinds captured for a scenario: every kind of the table the server serves. */
const CAPTURE_KINDS = KINDS.filter((k) => k.kind !== 'CustomResourceDefinition' && k.kind !== 'Event');

/**
 * Capture what fluxdoctor needs to see a scenario: objects in the scenario's namespace and in
 * flux-system (controller Deployments, shared sources), their events, and the controllers' log
 * lines about the namespace. Secret values are removed before anything is written.
 */
export async function capture(
  kube: Kube,
  state: State,
  namespaces: string[],
): Promise<{ objects: Obj[]; logs: Record<string, string[]> }> {
  const objects: Obj[] = [];
  for (const k of CAPTURE_KINDS) {
    for (const version of k.versions) {
      const apiVersion = k.group ? `${k.group}/${version}` : version;
      try {
        if (!k.namespaced) {
          if (k.kind === 'Namespace')
            for (const ns of namespaces)
              objects.push(...(await kube.list(apiVersion, k.kind)).filter((o) => o.metadata.name === ns));
          continue;
        }
        for (const ns of namespaces) objects.push(...(await kube.list(apiVersion, k.kind, ns)));
        break; // the preferred served version is enough
      } catch (e) {
        if (/does not serve/.test((e as Error).message)) continue;
        throw e;
      }
    }
  }
  for (const ns of namespaces) objects.push(...(await kube.list('v1', 'Event', ns)));
  const crds = await kube.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
  for (const c of crds) {
    if (!String(c.spec?.group ?? '').includes('fluxcd')) continue;
    // The CRD schemas are large and say nothing a diagnosis needs: keep names, versions and status.
    c.spec = {
      group: c.spec.group,
      names: c.spec.names,
      scope: c.spec.scope,
      versions: c.spec.versions.map((v: Obj) => ({ name: v.name, served: v.served, storage: v.storage })),
    };
    objects.push(c);
  }
  // One path into objects: every captured object passes through the reader's normalize (managedFields
  // dropped, secret-looking text masked, Secret and ConfigMap values removed), Events keep their shape
  // with their text masked as the reader masks it.
  const clean: Obj[] = [];
  for (const o of objects) {
    if (o.kind === 'Event') {
      clean.push(maskRaw(o));
      continue;
    }
    const n = normalizeObject(o) as Obj | undefined;
    if (n) clean.push(n.dataKeys ? keysAsData(n) : n);
  }
  const logs: Record<string, string[]> = {};
  for (const [name, file] of Object.entries(state.logs)) {
    if (!name.endsWith('-controller') || !existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter(
        (l) => l.startsWith('{') && namespaces.some((ns) => l.includes(`"namespace":"${ns}"`) || l.includes(`"${ns}/`)),
      )
      .map(maskLine);
    if (lines.length > 0) logs[name] = lines;
  }
  return { objects: clean, logs };
}

/** A controller log line with its text masked as the reader masks it (lines that are not JSON stay as they are). */
function maskLine(l: string): string {
  try {
    const v = JSON.parse(l);
    return v && typeof v === 'object' && !Array.isArray(v) ? JSON.stringify(maskRaw(v)) : l;
  } catch {
    return l;
  }
}

/** Key names kept as empty data (normalize keeps them as `dataKeys`), so the fixture reads like kubectl output. */
function keysAsData(o: Obj): Obj {
  const { dataKeys, ...rest } = o;
  return { ...rest, data: Object.fromEntries((dataKeys as string[]).map((k) => [k, ''])) };
}

export function writeFixture(
  dir: string,
  snap: { objects: Obj[]; logs: Record<string, string[]> },
  expectation: Expectation,
  meta: Obj,
): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  writeFileSync(
    join(dir, 'cluster.yaml'),
    dump(
      { apiVersion: 'v1', items: snap.objects, kind: 'List', metadata: { resourceVersion: '' } },
      { lineWidth: -1, noRefs: true },
    ),
  );
  for (const [name, lines] of Object.entries(snap.logs))
    writeFileSync(join(dir, 'logs', `${name}.log`), `${lines.join('\n')}\n`);
  writeFileSync(`${dir}.expected.json`, `${JSON.stringify({ ...expectation, ...meta }, null, 2)}\n`);
}
