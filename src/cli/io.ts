// The exit codes, the I/O and the context every command shares, in a module that imports nothing:
// main.ts needs them before it knows which command runs (and loads only that command's code).

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INPUT = 2;

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  stdin?: () => string;
}

/** Commands set `exit` for main to return. */
export interface CliContext {
  io: Io;
  exit: number;
}
