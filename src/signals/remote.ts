// What a source fetches from: the object that fetches (a HelmChart's HelmRepository), its address, the
// host it talks to and whether it authenticates with a cloud identity. One reading for every rule.

import type { Graph } from '../graph/graph.js';
import type { K8sObject, ObjRef } from '../types.js';

/** The host part of a URL-ish string (https://h/x, ssh://git@h:22/x, git@h:x, oci://h/x). */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const scp = /^[\w.-]+@([\w.-]+):/.exec(url);
  if (scp && !url.includes('://')) return scp[1];
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(url);
  return m ? m[1] : undefined;
}

/** The registry host of an image repository reference (Docker Hub, `index.docker.io`, for `org/app` and `app`). */
export function registryHost(image: string): string {
  const first = image.replace(/^[a-z]+:\/\//, '').split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'index.docker.io';
}

/** The source a HelmChart builds from (its `source` edge), when one is named. */
export function chartSourceRef(chart: K8sObject, graph: Graph): ObjRef | undefined {
  return graph.out(chart, 'source')[0]?.to;
}

/** The object whose URL is fetched: the object itself, or a HelmChart's HelmRepository when it was read. */
export function fetcherOf(obj: K8sObject, graph: Graph): K8sObject {
  if (obj.kind !== 'HelmChart') return obj;
  const ref = chartSourceRef(obj, graph);
  const src = ref ? graph.get(ref) : undefined;
  return src?.kind === 'HelmRepository' ? src : obj;
}

/** A printable address of what the object fetches. */
export function urlOf(obj: K8sObject): string | undefined {
  const s = obj.spec ?? {};
  switch (obj.kind) {
    case 'Bucket':
      return s.endpoint ? `${s.endpoint}${s.bucketName ? `/${s.bucketName}` : ''}` : s.bucketName;
    case 'ImageRepository':
      return typeof s.image === 'string' ? s.image : undefined;
    default:
      return typeof s.url === 'string' ? s.url : undefined;
  }
}

/** The host the object talks to. */
export function remoteHost(obj: K8sObject): string | undefined {
  const s = obj.spec ?? {};
  if (obj.kind === 'Bucket' && typeof s.endpoint === 'string') {
    return hostOf(s.endpoint.includes('://') ? s.endpoint : `https://${s.endpoint}`);
  }
  if (obj.kind === 'ImageRepository' && typeof s.image === 'string') return registryHost(s.image).replace(/:\d+$/, '');
  return hostOf(urlOf(obj));
}

/** The cloud provider the object authenticates with (`spec.provider` other than generic), if any. */
export function usesProvider(obj: K8sObject): string | undefined {
  const p = obj.spec?.provider;
  return typeof p === 'string' && p !== '' && p !== 'generic' ? p : undefined;
}
