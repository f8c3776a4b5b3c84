import { main } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';

/** An io that records what the CLI writes (not a terminal: no progress bars). */
export function captureIo(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), interactive: false },
    out: () => out,
    err: () => err,
  };
}

/** Runs the CLI in-process and returns its exit code and output. */
export async function runCli(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo();
  const code = await main(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}
