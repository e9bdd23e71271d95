// One HTTP HEAD of a source artifact URL, bounded by a timeout, for `fluxdoctor check` on a live
// cluster. Artifact URLs usually name the in-cluster Service of source-controller
// (`source-controller.flux-system.svc.cluster.local.`), which cannot be reached from outside the
// cluster: those are not tried and are reported as not checked, never as failures.

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type ArtifactProbe, inClusterHost } from '../views/check.js';

export async function probeArtifact(url: string, timeoutMs: number): Promise<ArtifactProbe> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, outcome: 'fail', detail: 'the artifact URL is not a valid URL' };
  }
  if (inClusterHost(u.hostname))
    return { url, outcome: 'in-cluster', detail: `${u.hostname} is a cluster-internal name` };
  const req = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<ArtifactProbe>((resolve) => {
    const r = req(u, { method: 'HEAD', timeout: timeoutMs }, (res) => {
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
