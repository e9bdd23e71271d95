// explain_code: one diagnosis code, the same document as `fluxdoctor explain CODE -o json` (codeDoc),
// or the list of codes. The text block is the code's page (`fluxdoctor explain CODE`: Markdown, with
// the fix and the commands: a complete, readable rendering of the same document), or the JSON list.

import { z } from 'zod';
import { cleanLine } from '../../render/sanitize.js';
import { codeDoc, codePage } from '../../rules/docs.js';
import { ALL_RULES, RULES_BY_CODE } from '../../rules/index.js';
import { defineTool, OFFLINE, ToolError } from './common.js';

export const explainCodeTool = defineTool({
  name: 'explain_code',
  title: 'Explain a diagnosis code',
  description:
    'The page of a diagnosis code (e.g. source.auth): what it means, how it is detected, how to fix it, commands to confirm. Without `code`, every code with its title.',
  input: { code: z.string().optional().describe('a code from a diagnose finding') },
  output: {
    codes: z.array(z.object({ code: z.string(), severity: z.string(), title: z.string() })).optional(),
    code: z.string().optional(),
    severity: z.string().optional(),
    title: z.string().optional(),
    kinds: z.array(z.string()).optional(),
    explainedBy: z.array(z.string()).optional().describe('edges along which a deeper cause replaces it'),
    overrides: z.array(z.string()).optional().describe('codes it supersedes on the same object'),
    sections: z
      .object({
        whatItMeans: z.string(),
        howItIsDetected: z.string(),
        howToFix: z.string(),
        commandsToConfirm: z.array(z.string()),
        messagesItRecognises: z.array(z.object({ message: z.string(), source: z.string() })),
      })
      .optional(),
  },
  annotations: OFFLINE,
  handler(args) {
    if (!args.code) {
      const codes = ALL_RULES.map((r) => ({ code: r.meta.code, severity: r.meta.severity, title: r.meta.title }));
      codes.sort((a, b) => a.code.localeCompare(b.code));
      return { data: { codes } };
    }
    const code = args.code;
    const rule = RULES_BY_CODE.get(code);
    if (!rule) {
      const near = ALL_RULES.map((r) => r.meta.code).filter(
        (c) => c.includes(code) || code.includes(c.split('.')[1] ?? '@'),
      );
      throw new ToolError(
        `unknown code '${cleanLine(code, 100)}'.${near.length ? ` Did you mean: ${near.join(', ')}?` : ''} Call explain_code without a code to list them.`,
      );
    }
    // The document of `fluxdoctor explain CODE -o json`; the text block is its page.
    return { data: { ...codeDoc(rule) }, text: codePage(rule) };
  },
});
