import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolveOutputPath, sameFile, writeFileAtomic as writeAtomic, type FileContent } from '../core/io/atomicWrite.ts';

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

/**
 * Thrown when `firstspike validate` ran but failed (disagreements, or max |difference| >= --tol); the CLI
 * exits with 1. Its message is the one-line verdict.
 */
export class ValidationFailedError extends Error {}

/** A file system error as a short reason: `ENOSPC: no space left on device`. */
export function fileErrorReason(error: unknown): string {
  if (error instanceof Error && 'code' in error) {
    const code = String(error.code);
    const text: Record<string, string> = {
      ENOSPC: 'no space left on device',
      EDQUOT: 'disk quota exceeded',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      ENOENT: 'no such file or folder',
      EISDIR: 'is a directory',
      EROFS: 'read-only file system',
      ENOTDIR: 'a part of the path is not a folder',
    };
    return text[code] === undefined ? code : `${code}: ${text[code]}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Writes a file so that readers never see a partial one (core/io/atomicWrite.ts: temp file + rename;
 * devices and pipes written directly; symlinks followed). Errors become a usage error naming `option`.
 */
export async function writeFileAtomic(path: string, content: FileContent, option = '--out'): Promise<void> {
  try {
    await writeAtomic(path, content);
  } catch (error) {
    throw new UsageError(`${option}: cannot write '${path}' (${fileErrorReason(error)})`);
  }
}

/**
 * Checks an output path before any work is done: its folder exists and is writable, it is not a folder,
 * and it is none of `inputs` (writing would destroy an input). Throws a usage error naming `option`.
 */
export async function checkOutputPath(
  option: string,
  path: string,
  inputs: readonly { readonly option: string; readonly path: string }[] = [],
): Promise<void> {
  const target = await resolveOutputPath(path);
  const folder = dirname(target);
  const folderStat = await stat(folder).catch(() => null);
  if (folderStat === null || !folderStat.isDirectory()) {
    throw new UsageError(`${option}: folder '${dirname(path)}' of '${path}' does not exist`);
  }
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory() === true) throw new UsageError(`${option}: '${path}' is a folder`);
  if (existing === null || existing.isFile()) {
    // a new or regular file is written through a temporary file in the folder
    await access(folder, constants.W_OK).catch(() => {
      throw new UsageError(`${option}: folder '${dirname(path)}' of '${path}' is not writable`);
    });
  }
  for (const input of inputs) {
    if (await sameFile(path, input.path)) {
      throw new UsageError(`${option}: '${path}' is also ${input.option} '${input.path}'; writing it would destroy that file`);
    }
  }
}
