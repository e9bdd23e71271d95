// The errors of the core facade. Front ends map them: the CLI to an exit code and a message on
// stderr, the MCP server to a tool error the agent can read.

/**
 * Something the caller asked for could not be done, with a message that says what to do.
 * `failed`: the operation ran but its outcome is a failure (the CLI's exit 1, not an input error).
 */
export class CoreError extends Error {
  constructor(
    message: string,
    readonly failed = false,
  ) {
    super(message);
  }
}
