// Which hosts fluxdoctor must not send a request to on behalf of text it read from a cluster: a
// cluster reports `status.artifact.url`, and whoever can write that status (or a Source's URL) could
// otherwise make `check` reach the machine it runs on (loopback), the cloud's metadata service
// (link-local, 169.254.169.254, fd00:ec2::254) or "this host" (0.0.0.0, ::). Every spelling counts:
// decimal, hex and octal IPv4 (`2130706433`, `0x7f.1`), IPv4-mapped, -compatible and NAT64 IPv6,
// `localhost.` and `*.localhost`, zone ids.

export type LocalKind = 'loopback' | 'link-local' | 'unspecified' | 'metadata';

/** Names of cloud metadata services (GCP, Azure, AWS, Alibaba, Oracle, OpenStack spell theirs with these). */
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.internal',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
]);

/** Metadata services on addresses outside the link-local ranges. */
const METADATA_V4 = new Set(['100.100.100.200']);

/** The canonical form of a host as the WHATWG URL parser (and so `http.request(url)`) sees it. */
export function canonicalHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  const zone = h.indexOf('%');
  if (zone >= 0 && h.includes(':')) h = h.slice(0, zone);
  if (h.includes(':')) {
    try {
      return new URL(`http://[${h}]/`).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return h;
    }
  }
  try {
    h = new URL(`http://${h}/`).hostname;
  } catch {}
  return h.replace(/\.+$/, '');
}

function ipv4Bytes(h: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (!m) return undefined;
  const b = m.slice(1).map(Number);
  return b.every((x) => x <= 255) ? b : undefined;
}

function ipv4Kind(b: number[]): LocalKind | undefined {
  if (b[0] === 127) return 'loopback';
  if (b[0] === 0) return 'unspecified';
  if (b[0] === 169 && b[1] === 254) return b[2] === 169 && b[3] === 254 ? 'metadata' : 'link-local';
  if (METADATA_V4.has(b.join('.'))) return 'metadata';
  return undefined;
}

/** Eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail is allowed), or undefined. */
function ipv6Groups(h: string): number[] | undefined {
  let s = h;
  const tail: number[] = [];
  const dotted = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (dotted) {
    const b = ipv4Bytes(dotted[2]!);
    if (!b) return undefined;
    tail.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
    s = dotted[1]!.endsWith('::') ? dotted[1]! : dotted[1]!.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const head = parse(halves[0]!);
  const back = halves.length === 2 ? parse(halves[1]!) : [];
  if (![...head, ...back].every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const known = head.length + back.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return undefined;
  const zeros = Array.from({ length: 8 - known }, () => 0);
  return [...head.map((g) => Number.parseInt(g, 16)), ...zeros, ...back.map((g) => Number.parseInt(g, 16)), ...tail];
}

function ipv6Kind(g: number[]): LocalKind | undefined {
  const first6Zero = g.slice(0, 6).every((x) => x === 0);
  if (first6Zero && g[6] === 0 && g[7] === 0) return 'unspecified';
  if (first6Zero && g[6] === 0 && g[7] === 1) return 'loopback';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  // fd00:ec2::254, the AWS metadata service over IPv6.
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && g.slice(2, 7).every((x) => x === 0) && g[7] === 0x254) return 'metadata';
  const v4 = [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff];
  // IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d.
  const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  const compatible = first6Zero;
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0);
  if (mapped || compatible || nat64) return ipv4Kind(v4);
  return undefined;
}

/**
 * Whether a host (a name or an address in any spelling) is on this machine, link-local or a metadata
 * service: the kind, or undefined for an ordinary host. Names other than localhost and the
 * metadata names are not resolved here (see `localAddressOf` for resolved addresses).
 */
export function localAddressKind(host: string): LocalKind | undefined {
  const h = canonicalHost(host);
  if (h === '') return 'unspecified';
  if (h === 'localhost' || h.endsWith('.localhost')) return 'loopback';
  if (METADATA_NAMES.has(h)) return 'metadata';
  if (h.includes(':')) {
    const g = ipv6Groups(h);
    return g ? ipv6Kind(g) : undefined;
  }
  const b = ipv4Bytes(h);
  return b ? ipv4Kind(b) : undefined;
}

export const LOCAL_KIND_TEXT: Record<LocalKind, string> = {
  loopback: 'a loopback address',
  'link-local': 'a link-local address',
  unspecified: 'an unspecified address (this host)',
  metadata: 'a cloud metadata service address',
};
