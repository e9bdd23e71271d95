// One HTTP HEAD of a source artifact URL, bounded by a timeout, for `fluxdoctor check` on a live
// cluster. Artifact URLs usually name the in-cluster Service of source-controller
// (`source-controller.flux-system.svc.cluster.local.`), which cannot be reached from outside the
// cluster: those are not tried and are reported as not checked, never as failures.
//
// The URL is cluster text: by default no request goes to a loopback, link-local, unspecified or
// cloud-metadata address, whatever the spelling or what the name resolves to (src/live/address.ts).
// The name is resolved once and the request is pinned to the addresses that were vetted, so a DNS
// answer that changes between the check and the connection cannot reach a refused address.

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { type ArtifactProbe, inClusterHost } from '../views/check.js';
import { canonicalHost, LOCAL_KIND_TEXT, localAddressKind } from './address.js';

export interface ProbeOptions {
  /** Also probe loopback, link-local and metadata addresses (the CLI's --allow-local-probe). Default false. */
  allowLocal?: boolean;
  /** How to resolve a name (all addresses); default dns.lookup. For tests. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

const resolveAll = (host: string) =>
  new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))),
  );

function localProbe(url: string, what: string): ArtifactProbe {
  return {
    url,
    outcome: 'local',
    detail: `not checked: ${what} (no request goes to a loopback, link-local or metadata address a cluster reports)`,
  };
}

export async function probeArtifact(url: string, timeoutMs: number, opts: ProbeOptions = {}): Promise<ArtifactProbe> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, outcome: 'fail', detail: 'the artifact URL is not a valid URL' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { url, outcome: 'fail', detail: 'the artifact URL is not an http(s) URL' };
  const host = canonicalHost(u.hostname);
  if (!opts.allowLocal) {
    const kind = localAddressKind(host);
    if (kind) return localProbe(url, `${host} is ${LOCAL_KIND_TEXT[kind]}`);
  }
  if (inClusterHost(u.hostname))
    return { url, outcome: 'in-cluster', detail: `${u.hostname} is a cluster-internal name` };
  let lookup: LookupFunction | undefined;
  if (!opts.allowLocal) {
    let addrs: LookupAddress[];
    try {
      addrs = await (opts.resolve ?? resolveAll)(host);
    } catch (e) {
      return {
        url,
        outcome: 'unreachable',
        detail: `not reachable from here (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      };
    }
    if (addrs.length === 0)
      return { url, outcome: 'unreachable', detail: `not reachable from here (${host} has no address)` };
    for (const a of addrs) {
      const kind = localAddressKind(a.address);
      if (kind) return localProbe(url, `${host} resolves to ${a.address}, ${LOCAL_KIND_TEXT[kind]}`);
    }
    // Connect only to the addresses just vetted.
    lookup = ((_h: string, o: { all?: boolean }, cb: (...a: unknown[]) => void) => {
      if (o?.all) cb(null, addrs);
      else cb(null, addrs[0]!.address, addrs[0]!.family);
    }) as unknown as LookupFunction;
  }
  const req = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<ArtifactProbe>((resolve) => {
    const r = req(u, { method: 'HEAD', timeout: timeoutMs, ...(lookup ? { lookup } : {}) }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(
        code >= 200 && code < 400
          ? { url, outcome: 'ok', detail: `HEAD ${code}` }
          : {
              url,
              outcome: 'fail',
              detail: `HEAD ${code}${code === 404 ? ': the storage no longer has this artifact' : ''}`,
            },
      );
    });
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)));
    r.on('error', (e) =>
      resolve({ url, outcome: 'unreachable', detail: `not reachable from here (${(e as Error).message})` }),
    );
    r.end();
  });
}
