// Secret-looking text is masked at read time, like Secret data: condition messages, event messages,
// log lines, container messages, URLs in spec, annotations and values sometimes quote what they
// failed to use. `redactText` masks one string; `maskStrings` masks every string of a decoded
// object in place (one iterative, bounded walk). The readers call `maskStrings` on every object,
// event, log line and capture info, so nothing leaves the reader unmasked.
//
// Every pattern is linear: a literal anchor (usually behind a "start of token" lookbehind), then
// bounded character-class runs whose neighbours cannot overlap; no nested quantifiers. URL
// credentials are found by a hand-written single pass. Strings longer than MAX_TEXT are clipped
// (and say so) before matching, and a cheap pre-filter (one scan for trigger words) lets the
// common case cost one regex test.
//
// Masks keep what the value was (`https://user:***@host`, `ghp_***`, `password: ***`).

/** Longest string kept; longer ones are clipped and marked (the CRD maximum of a message is 32 KiB). */
export const MAX_TEXT = 64 * 1024;
/** Nesting deeper than this is cut (decoded documents are walked iteratively; renderers recurse). */
export const MAX_DEPTH = 100;
export const MASK = '***';
export const DEEP_PLACEHOLDER = '[fluxdoctor: nested deeper than 100 levels, removed]';

// Keywords whose value is a secret in `key: value`, `key=value`, `"key":"value"` forms.
const KV_KEYS =
  'password|passwd|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key|account[_-]?key|private[_-]?key|' +
  'client[_-]?secret|shared[_-]?access[_-]?key|sharedaccesssignature|identitytoken|registrytoken|session[_-]?key';

// A value after `key:` / `key=`: double-quoted (stops before the closing quote or an escape), single
// quoted, or bare (stops at whitespace, quotes and separators). Bounded.
const VALUE = `(\\\\?"[^"\\\\\\n]{0,4096}|'[^'\\n]{0,4096}|[^\\s"'\`,;&}\\])\\\\]{1,4096})`;

const keepQuote = (_m: string, head: string, value: string): string => {
  const q = /^\\?["']/.exec(value);
  return `${head}${q ? q[0] : ''}${MASK}`;
};

const hasDigitAndLetter = (v: string) => /[0-9]/.test(v) && /[A-Za-z]/.test(v);

type Rule = [RegExp, string | ((m: string, ...g: string[]) => string)];

const RULES: Rule[] = [
  // PEM private key blocks of any type (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … BLOCK). One match
  // runs to its END line or the end of the text, so repeated BEGIN lines without END stay linear.
  [
    /-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|$)/g,
    '-----BEGIN $1PRIVATE KEY$2----- *** -----END $1PRIVATE KEY$2-----',
  ],
  // age secret keys and plugin identities (SOPS)
  [/AGE-SECRET-KEY-1[0-9A-Z]{1,200}/g, 'AGE-SECRET-KEY-1***'],
  [/AGE-PLUGIN-[0-9A-Z-]{1,32}1[0-9A-Z]{1,400}/g, 'AGE-PLUGIN-***'],
  // sops quotes the secret value: "Input string <value> does not match sops' data format"
  [/(Input string )(?:(?! does not match sops' data format)[^\n]){1,4096}/g, '$1***'],
  // Authorization headers (any scheme), also Go's header map dump `Authorization:[Bearer …]`; a
  // value without a scheme must look like a credential ("may require authorization: server message"
  // is prose that rules match)
  [
    /(?<![A-Za-z0-9-])((?:Proxy-)?Authorization\\?["']?\s{0,3}[:=]\s{0,3}\[?\\?["']?)(?:((?:Bearer|Basic|token|Digest|Negotiate|Bot|SSWS|GenieKey|ApiKey|Splunk|AWS4-HMAC-SHA256)\s{1,5})[^\r\n"'\]\\]{1,4096}|(?=[A-Za-z]{0,4096}[0-9._~+/=-])[^\s"'\]\\]{8,4096})/gi,
    (_m: string, head: string, scheme?: string) => `${head}${scheme ?? ''}${MASK}`,
  ],
  // bare Bearer/Basic credentials (the value has a digit or a base64/JWT character: not prose)
  [/\b(Bearer\s{1,5})(?=[A-Za-z-]{0,4096}[0-9._~+/=])[A-Za-z0-9._~+/=-]{8,4096}/gi, '$1***'],
  [/\b(Basic\s{1,5})(?=[A-Za-z]{0,4096}[0-9+/=])[A-Za-z0-9+/=]{8,4096}/gi, '$1***'],
  // Cookies
  [/(?<![A-Za-z0-9-])((?:Set-)?Cookie\s{0,3}:\s{0,3})[^\r\n"']{1,4096}/gi, '$1***'],
  // X-Api-Key:, X-Auth-Token:, Private-Token:, X-Vault-Token:, X-Hub-Signature: … headers
  [
    /(?<![A-Za-z0-9-])([A-Za-z0-9-]{0,40}?-(?:token|key|secret|signature|auth|password|session)(?:\\?["']\s{0,3}:\s{0,3}(?=\\?["'])|\s{0,3}:\s{0,3}\[?)\\?["']?)[^\s,;"'\]\\]{1,4096}/gi,
    '$1***',
  ],
  // query parameters: ?access_token=, &token=, sig= (Azure SAS), X-Amz-Signature=, key=, code=
  [
    /([?&;](?:access_token|id_token|refresh_token|private_token|token|auth|sig|signature|key|api_key|apikey|api-key|code|client_secret|password|pass|pwd|secret|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential)=)[^&\s"'#<>\\]{1,4096}/gi,
    '$1***',
  ],
  // webhook URLs whose path is the secret (Slack, Discord, Teams, Google Chat, Mattermost…, Telegram bots)
  [
    /((?:hooks\.slack\.com|discord(?:app)?\.com\/api\/webhooks|\.webhook\.office\.com|outlook\.office(?:365)?\.com\/webhook|\.logic\.azure\.com(?::\d{1,5})?|\/hooks)\/)[^\s"'<>\\]{1,2048}/gi,
    '$1***',
  ],
  [/(api\.telegram\.org\/bot)[^\s/"'<>\\]{1,512}/gi, '$1***'],
  // CLI flags: --password X, --token=X, --client-secret X, -p X, -u user:pass
  [
    /(?<![\w-])(--[A-Za-z0-9-]{0,30}?(?:password|passwd|passphrase|token|secret|api-?key|access-key|private-key)(?!-stdin)[A-Za-z0-9-]{0,10}(?:=|\s{1,5}))(?!-)[^\s"']{1,4096}/gi,
    '$1***',
  ],
  [/(?<![\w-])(-p(?:=|\s{1,5}))(?!-)[^\s"']{1,4096}/g, '$1***'],
  [/(?<![\w-])((?:-u|--user)(?:=|\s{1,5})[^\s:"']{1,256}:)[^\s"']{1,4096}/g, '$1***'],
  // docker config JSON: "auth": "<base64 user:password>"
  [/(\\?["']auth\\?["']\s{0,5}:\s{0,5})(\\?["'][^"'\\\n]{0,4096}|[^\s"',}]{1,4096})/gi, keepQuote],
  // key: value, key=value, "key": "value", key: 'value' (YAML, JSON, env, connection strings)
  [
    new RegExp(
      `((?:${KV_KEYS})[A-Za-z0-9_.-]{0,30}(?:\\\\?["']\\s{0,5}[:=]\\s{0,5}(?=\\\\?["'])|\\s{0,5}[:=]\\s{0,5}))${VALUE}`,
      'gi',
    ),
    keepQuote,
  ],
  // generic: a high-entropy value (letters and digits, 16+) after a `key` word
  [
    /(?<![A-Za-z0-9])([A-Za-z0-9_-]{0,24}?key[A-Za-z0-9_-]{0,20}\\?["']?\s{0,5}[:=]\s{0,5}\\?["']?)([A-Za-z0-9+/_=.-]{16,4096})/gi,
    (m: string, head: string, value: string) => (hasDigitAndLetter(value) ? `${head}${MASK}` : m),
  ],
  // provider token formats
  [/(?<![A-Za-z0-9_])(gh[pousr]_)[A-Za-z0-9]{16,255}/g, '$1***'],
  [/(?<![A-Za-z0-9_])(github_pat_)[A-Za-z0-9_]{20,255}/g, '$1***'],
  [/(?<![A-Za-z0-9_-])(gl(?:pat|dt|ptt|rt|cbt|oas|soat|ft|imt|agent|ffct|wt|sa|c)[-_])[A-Za-z0-9_-]{10,255}/g, '$1***'],
  [/(?<![A-Za-z0-9])(GR1348941)[A-Za-z0-9_-]{10,255}/g, '$1***'],
  [/(?<![A-Za-z0-9])(xox[abposre]-|xapp-)[A-Za-z0-9-]{8,255}/g, '$1***'],
  [/(?<![A-Z0-9])(AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g, '$1***'],
  [/(?<![A-Za-z0-9_-])(AIza)[0-9A-Za-z_-]{30,40}/g, '$1***'],
  [/(?<![A-Za-z0-9_-])(ya29\.)[0-9A-Za-z_-]{20,2048}/g, '$1***'],
  [/(?<![A-Za-z0-9_-])(GOCSPX-)[0-9A-Za-z_-]{10,255}/g, '$1***'],
  [/(?<![A-Za-z0-9_])(npm_)[A-Za-z0-9]{30,255}/g, '$1***'],
  [/(?<![A-Za-z0-9_])((?:sk|rk|pk)_(?:live|test)_|whsec_)[A-Za-z0-9]{10,255}/g, '$1***'],
  [/(?<![A-Za-z0-9_-])(sk-)[A-Za-z0-9_-]{20,255}/g, '$1***'],
  [/(?<![A-Za-z0-9_-])(SG\.)[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}/g, '$1***'],
  [/(?<![A-Za-z0-9_-])(hv[sbr]\.)[A-Za-z0-9_-]{20,512}/g, '$1***'],
  [/(?<![A-Za-z0-9_-])(dckr_pat_|dop_v1_|hf_|ATBB|ATATT|pul-|dp\.st\.|glsa_)[A-Za-z0-9_=.-]{20,512}/g, '$1***'],
  // JWTs (and JWS/JWE compact forms that start with a JSON header)
  [/(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,8192}\.[A-Za-z0-9_-]{4,8192}\.[A-Za-z0-9_-]{0,8192}/g, 'eyJ***'],
];

// One scan decides whether any rule can apply. Each rule's anchor contains one of these.
const TRIGGER =
  /:\/\/|a(?:uth|ge-|kia|sia|gpa|ida|roa|ipa|npa|nva|bia|iza|tbb|tatt)|acca|b(?:earer|asic)|c(?:ookie|ode=)|d(?:iscord|ckr_|op_v1|p\.st)|eyj|g(?:h[pousr]_|ithub_pat|l[a-z]{1,6}[-_]|r1348941|ocspx)|h(?:ooks|v[sbr]\.|f_)|input string|key|npm_|p(?:ass|wd|ul-)|s(?:ecret|ig|ession|k-|g\.)|t(?:oken|elegram)|w(?:ebhook|hsec_)|x(?:ox|app-)|ya29\.|_(?:live|test)_|-(?:----begin|-user)|(?:^|\s)-[pu]/i;

// Before TRIGGER, a JavaScript scan over the string looks up each character trigram (ASCII,
// letters lowercased) in a table of the triggers' first three characters: most strings of a
// cluster (names, timestamps, revisions, plain messages) have none and cost no regex at all.
const TRIGRAMS = new Uint8Array(1 << 21);
const tri = (a: number, b: number, c: number) => (a << 14) | (b << 7) | c;
for (const t of [
  '://',
  'aut',
  'age',
  'aki',
  'asi',
  'agp',
  'aid',
  'aro',
  'aip',
  'anp',
  'anv',
  'abi',
  'aiz',
  'atb',
  'ata',
  'acc',
  'bea',
  'bas',
  'coo',
  'cod',
  'dis',
  'dck',
  'dop',
  'dp.',
  'eyj',
  'ghp',
  'gho',
  'ghu',
  'ghs',
  'ghr',
  'git',
  'gr1',
  'goc',
  'hoo',
  'hvs',
  'hvb',
  'hvr',
  'hf_',
  'inp',
  'key',
  'npm',
  'pas',
  'pwd',
  'pul',
  'sec',
  'sig',
  'ses',
  'sk-',
  'sg.',
  'tok',
  'tel',
  'web',
  'whs',
  'xox',
  'xap',
  'ya2',
  '_li',
  '_te',
  '---',
  '--u',
  ' -p',
  ' -u',
  '\t-p',
  '\t-u',
  '\n-p',
  '\n-u',
  ...'abcdefghijklmnopqrstuvwxyz'.split('').map((l) => `gl${l}`),
])
  TRIGRAMS[tri(t.charCodeAt(0), t.charCodeAt(1), t.charCodeAt(2))] = 1;

// UTF-16 code unit → its trigram character (ASCII, letters lowercased; anything else 0).
const LOW = new Uint8Array(1 << 16);
for (let c = 1; c < 128; c++) LOW[c] = c >= 65 && c <= 90 ? c | 32 : c;

function mayHoldSecret(s: string): boolean {
  const n = s.length;
  if (s.charCodeAt(0) === 45 && (s.charCodeAt(1) | 32) === 112) return TRIGGER.test(s); // -p …
  if (s.charCodeAt(0) === 45 && (s.charCodeAt(1) | 32) === 117) return TRIGGER.test(s); // -u …
  let h = (LOW[s.charCodeAt(0)]! << 7) | LOW[s.charCodeAt(1)]!;
  for (let i = 2; i < n; i++) {
    h = ((h << 7) | LOW[s.charCodeAt(i)]!) & 0x1fffff;
    if (TRIGRAMS[h] === 1) return TRIGGER.test(s);
  }
  return false;
}

const isTokenChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95 || c === 46;

/**
 * `scheme://user:password@host` → `scheme://user:***@host`, the password may hold `/` or `%2F`;
 * `scheme://<token>@host` (a token as the user name) → `scheme://***@host`. One pass over the text.
 */
function maskUrlCredentials(s: string): string {
  let i = s.indexOf('://');
  if (i < 0) return s;
  let out = '';
  let copied = 0;
  while (i >= 0) {
    const start = i + 3;
    let j = start;
    let colon = -1;
    let at = -1;
    let next = -1;
    for (; j < s.length; j++) {
      const c = s.charCodeAt(j);
      // whitespace, quotes, <, >, `, \ end the URL
      if (c <= 32 || c === 34 || c === 39 || c === 60 || c === 62 || c === 96 || c === 92) break;
      if (c === 64) {
        at = j;
        break;
      }
      if (c === 58 && colon < 0) colon = j;
      else if (c === 58 && s.startsWith('//', j + 1)) {
        next = j;
        break;
      }
    }
    if (at > start) {
      if (colon > 0 && colon < at) {
        if (at > colon + 1) {
          out += s.slice(copied, colon + 1) + MASK;
          copied = at;
        }
      } else {
        let token = at - start >= 16;
        for (let k = start; token && k < at; k++) token = isTokenChar(s.charCodeAt(k));
        if (token) {
          out += s.slice(copied, start) + MASK;
          copied = at;
        }
      }
    }
    const from = next >= 0 ? next : at >= 0 ? at + 1 : j;
    i = s.indexOf('://', from);
  }
  return copied === 0 ? s : out + s.slice(copied);
}

/** Cut a string to MAX_TEXT, not inside a token (a clipped half-token is not masked by anything). */
function clip(text: string): string {
  let end = MAX_TEXT;
  const floor = end - 512;
  while (end > floor && isTokenChar(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)} … [clipped ${text.length - end} characters]`;
}

/** Mask secret-looking text in one string. Linear in the length; strings over MAX_TEXT are clipped. */
export function redactText(text: string): string {
  if (typeof text !== 'string' || text.length < 6) return text;
  return maskText(text.length > MAX_TEXT ? clip(text) : text);
}

/** redactText without the length bound (exported for the linear-time tests). */
export function maskText(text: string): string {
  if (!mayHoldSecret(text)) return text;
  let out = maskUrlCredentials(text);
  for (const [re, rep] of RULES) {
    re.lastIndex = 0;
    if (re.test(out)) {
      re.lastIndex = 0;
      // biome-ignore lint/suspicious/noExplicitAny: string or replacer function
      out = out.replace(re, rep as any);
    }
  }
  return out;
}

/** How many patterns redactText applies (the URL scanner counts as one). */
export const PATTERN_COUNT = RULES.length + 1;

// Object keys whose value is a secret whatever it looks like (spec.values, docker config, env files):
// the key, lowercased without `_`, `-`, `.`, ends with one of these.
const SECRET_KEY =
  /(?:password|passwd|passphrase|pwd|secret|token|apikey|secretkey|accesskey|privatekey|accountkey|clientsecret|identitytoken|^auth|credential|credentials)$/;
const NOT_SECRET_KEY = /(?:ref|name|names|file|path|keyref|type|kind|mode|enabled|length|ttl|expiry)$/;

const keyVerdicts = new Map<string, boolean>();

function secretKey(key: string): boolean {
  if (key.length < 3 || key.length > 80) return false;
  let v = keyVerdicts.get(key);
  if (v === undefined) {
    const k = key.toLowerCase().replace(/[-_.]/g, '');
    v = SECRET_KEY.test(k) && !NOT_SECRET_KEY.test(k);
    if (keyVerdicts.size > 50_000) keyVerdicts.clear();
    keyVerdicts.set(key, v);
  }
  return v;
}

const keyMasks = new Map<string, string>();

/** Object keys repeat (the schema's field names): their masking is cached. */
function maskKey(key: string): string {
  if (key.length < 6) return key;
  let m = keyMasks.get(key);
  if (m === undefined) {
    m = redactText(key);
    if (keyMasks.size > 50_000) keyMasks.clear();
    keyMasks.set(key, m);
  }
  return m;
}

/**
 * Mask every string in a decoded document, in place, and return it: string values by redactText,
 * scalar values under secret-named keys (password, token, apiKey, client_secret…) entirely, keys
 * that hold secret-looking text. Iterative; shared nodes (YAML aliases) are visited once; nesting
 * deeper than MAX_DEPTH is replaced by a placeholder.
 */
export function maskStrings<T>(root: T): T {
  if (typeof root === 'string') return redactText(root) as T;
  if (root === null || typeof root !== 'object') return root;
  // biome-ignore lint/suspicious/noExplicitAny: decoded documents are untyped
  const stack: any[] = [root];
  const depths: number[] = [0];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const node = stack.pop();
    const depth = depths.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v = node[i];
        if (typeof v === 'string') {
          const m = redactText(v);
          if (m !== v) node[i] = m;
        } else if (v !== null && typeof v === 'object') {
          if (depth >= MAX_DEPTH) node[i] = DEEP_PLACEHOLDER;
          else {
            stack.push(v);
            depths.push(depth + 1);
          }
        }
      }
      continue;
    }
    // {name: DB_PASSWORD, value: …} (container env, Helm --set style lists)
    const pair = typeof node.name === 'string' && typeof node.value === 'string' && secretKey(node.name);
    for (const key of Object.keys(node)) {
      const v = node[key];
      let k = key;
      const mk = maskKey(key);
      if (mk !== key) {
        delete node[key];
        node[mk] = v;
        k = mk;
      }
      if (typeof v === 'string') {
        const m = v !== '' && (secretKey(k) || (pair && k === 'value')) ? MASK : redactText(v);
        if (m !== v) node[k] = m;
      } else if (typeof v === 'number' && secretKey(k)) node[k] = MASK;
      else if (v !== null && typeof v === 'object') {
        if (depth >= MAX_DEPTH) node[k] = DEEP_PLACEHOLDER;
        else {
          stack.push(v);
          depths.push(depth + 1);
        }
      }
    }
  }
  return root;
}
