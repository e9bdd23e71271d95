// Secret-looking text inside cluster messages is masked at read time, like Secret data: condition
// messages, event messages and log lines sometimes quote what they failed to use.
//
// - credentials in URLs: https://user:password@host → https://user:***@host
// - PEM private key blocks
// - age secret keys (SOPS)
// - sops' "Input string <value> does not match sops' data format", which quotes the secret value
//   (kustomize-controller fixed its own logging of it: commit "Fix secret value showing up in logs")
// - bearer tokens and `password=`/`token=` style key-value pairs

const RULES: [RegExp, string][] = [
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:)[^\s@/'"]+@/gi, '$1***@'],
  [
    /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g,
    '-----BEGIN $1PRIVATE KEY----- *** -----END $1PRIVATE KEY-----',
  ],
  [/AGE-SECRET-KEY-1[0-9A-Z]+/g, 'AGE-SECRET-KEY-1***'],
  [/(Input string )[\s\S]*?( does not match sops' data format)/g, '$1***$2'],
  [/(\b[Bb]earer\s+)[A-Za-z0-9._~+/=-]{8,}/g, '$1***'],
  [
    /(\b(?:password|passwd|token|secret|apikey|api_key|client_secret)\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"']+)/gi,
    '$1***',
  ],
];

export function redactText(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return text;
  let out = text;
  for (const [re, rep] of RULES) out = out.replace(re, rep);
  return out;
}
