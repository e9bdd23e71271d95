// `fluxdoctor mcp --snapshot PATH`: the server serves a support bundle by default. A tool call that
// names no input of its own (no `snapshot`, `context` or `kubeconfig` argument) reads PATH; one that
// names an input reads that. Tools call `withDefaultInput(args, opts)` before loading their graph.

export interface InputChoice {
  snapshot?: string | string[];
  context?: string;
  kubeconfig?: string;
}

/** The arguments with the server's default snapshot filled in when the call names no input. */
export function withDefaultInput<A extends object>(
  args: A & InputChoice,
  opts: { defaultSnapshot?: string[] },
): A & InputChoice {
  if (!opts.defaultSnapshot?.length) return args;
  if (args.snapshot !== undefined || args.context !== undefined || args.kubeconfig !== undefined) return args;
  return { ...args, snapshot: [...opts.defaultSnapshot] };
}

/** The instructions sentence that tells an agent what the tools read by default. */
export function defaultInputNote(opts: { defaultSnapshot?: string[] }): string {
  return opts.defaultSnapshot?.length
    ? `This server serves the snapshot ${opts.defaultSnapshot.join(', ')}: tools read it unless a call gives snapshot, context or kubeconfig.`
    : 'Tools read the live cluster (optional context, see list_contexts) unless a call gives a snapshot path.';
}
