// Setter markers as image-automation-controller v1.2.3 reads them (internal/update/filereader.go,
// setters.go; kyaml v0.21.1 fieldmeta.processShortHand): only `.yaml`/`.yml` files and files named
// `Kustomization` that contain the token `"$imagepolicy"`; a marker is a line comment that is a JSON
// object of strings with a non-empty `$imagepolicy`, naming a setter `NS:NAME` (the whole image),
// `NS:NAME:tag`, `NS:NAME:name` or `NS:NAME:digest` (digest since v0.41.0). The namespace cannot be
// omitted: setters are defined as `<policy namespace>:<policy name>` for the policies in the
// automation's namespace only, so any other name matches no setter and is left alone.

import { cleanLine } from '../render/sanitize.js';

export type MarkerField = 'image' | 'tag' | 'name' | 'digest';

export interface Marker {
  file: string;
  line: number;
  setter: string;
  namespace?: string;
  policy?: string;
  field?: MarkerField;
  /** The scalar value the line holds now. */
  current: string;
}

/** Whether the controller would read this file at all (filereader.go screening). */
export function screened(path: string, text: string): boolean {
  const base = path.split('/').pop() ?? path;
  if (!base.endsWith('.yaml') && !base.endsWith('.yml') && base !== 'Kustomization') return false;
  return text.includes('"$imagepolicy"');
}

function parseSetter(s: string): Pick<Marker, 'namespace' | 'policy' | 'field'> {
  const parts = s.split(':');
  if (parts.length === 2) return { namespace: parts[0], policy: parts[1], field: 'image' };
  if (parts.length === 3 && ['tag', 'name', 'digest'].includes(parts[2]!))
    return { namespace: parts[0], policy: parts[1], field: parts[2] as MarkerField };
  return {};
}

const unquote = (v: string) => {
  const t = v.trim();
  if (t.length >= 2 && ((t[0] === '"' && t.endsWith('"')) || (t[0] === "'" && t.endsWith("'")))) return t.slice(1, -1);
  return t;
};

/** The markers of one (screened) file, with the value each marked scalar holds now. */
export function findMarkers(file: string, text: string): Marker[] {
  const out: Marker[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((l, i) => {
    const m = /^(.*?\S)?\s+#+(\s*\{.*\}\s*)$/.exec(l) ?? /^()#+(\s*\{.*\}\s*)$/.exec(l);
    if (!m) return;
    let obj: unknown;
    try {
      obj = JSON.parse(m[2]!);
    } catch {
      return;
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return;
    const vals = Object.values(obj as Record<string, unknown>);
    if (!vals.every((v) => typeof v === 'string')) return;
    const setter = (obj as Record<string, string>).$imagepolicy;
    if (!setter) return;
    const before = (m[1] ?? '').replace(/^\s*-\s+/, '');
    const kv = /^\s*[^:#]+:\s+(.*)$/.exec(before) ?? /^\s*[^:#]+:()$/.exec(before);
    const current = unquote(kv ? kv[1]! : before);
    out.push({
      file: cleanLine(file, 300),
      line: i + 1,
      setter: cleanLine(setter, 300),
      ...parseSetter(setter),
      current: cleanLine(current, 300),
    });
  });
  return out;
}

/** What the setter would write, from the policy's status.latestRef (ImageRef.String for the whole image). */
export function setterValue(latestRef: { name?: string; tag?: string; digest?: string }, field: MarkerField): string {
  if (field === 'tag') return latestRef.tag ?? '';
  if (field === 'name') return latestRef.name ?? '';
  if (field === 'digest') return latestRef.digest ?? '';
  return `${latestRef.name ?? ''}:${latestRef.tag ?? ''}${latestRef.digest ? `@${latestRef.digest}` : ''}`;
}
