import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import type { CliIo } from './io.ts';

/** A progress reporter: a cli-progress bar on an interactive terminal, silence otherwise. */
export interface Progress {
  update(done: number): void;
  stop(): void;
}

/** Starts a bar over `total` units (shown only when stderr is a terminal). */
export function startProgress(io: CliIo, total: number, label: string, unit: string): Progress {
  if (!io.interactive) return { update: () => undefined, stop: () => undefined };
  // loaded only for a terminal: it is a good part of a short run's start-up (docs/benchmarks.md)
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  let last = 0;
  return {
    update(done) {
      const now = Date.now();
      if (now - last > 100) {
        last = now;
        bar.update(Math.round(done * 1000) / 1000);
      }
    },
    stop() {
      bar.update(total);
      bar.stop();
    },
  };
}
