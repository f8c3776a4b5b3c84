import { rename, unlink, writeFile } from 'node:fs/promises';

/** Where a command writes; tests pass their own to run the CLI in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stderr is an interactive terminal (progress bars are shown only then). */
  readonly interactive: boolean;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
};

/** An error the user can fix (bad input); the CLI prints its message on one line and exits with 2. */
export class UsageError extends Error {}

/** Writes a file so that readers never see a partial one: a temp file in the same folder, then rename. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new UsageError(`--out: cannot write '${path}' (${reason})`);
  }
}
