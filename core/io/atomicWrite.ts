import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { lstat, readdir, readlink, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/*
 * Writing an output file so that no reader ever sees a partial one: the content goes to a temporary file
 * `<target>.<pid>.<random>.tmp` in the target's folder, which is then renamed over the target (atomic on
 * POSIX). Around that:
 *  - a target that is not a regular file (character device such as /dev/null or /dev/stdout, FIFO,
 *    socket) is written directly: renaming over it would replace the device or pipe with a regular file;
 *  - a symbolic link is followed to its target, which is written (the link stays a link);
 *  - temporary files in progress are listed, so that a SIGINT/SIGTERM handler can remove them
 *    (`removePendingTempFiles`, installed by the CLI), and temporary files left next to the target by a
 *    process that no longer exists (kill -9) are removed before writing.
 */

const pending = new Set<string>();

/** Temporary files being written right now (absolute paths). */
export function pendingTempFiles(): readonly string[] {
  return [...pending];
}

/** Removes every temporary file in progress, synchronously (for signal and exit handlers). */
export function removePendingTempFiles(): void {
  for (const file of pending) {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

/** The file a path finally names: symbolic links followed (also a dangling one, to where it points). */
export async function resolveOutputPath(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch {
    // does not exist (yet), or a dangling link: follow links one at a time as far as they go
    let current = absolute;
    for (let hops = 0; hops < 40; hops++) {
      const info = await lstat(current).catch(() => null);
      if (info === null || !info.isSymbolicLink()) break;
      current = resolve(dirname(current), await readlink(current));
    }
    const folder = await realpath(dirname(current)).catch(() => dirname(current));
    return join(folder, basename(current));
  }
}

/** True when `a` and `b` name the same file (same device and inode, or the same resolved path). */
export async function sameFile(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a).catch(() => null), stat(b).catch(() => null)]);
  if (sa !== null && sb !== null) return sa.dev === sb.dev && sa.ino === sb.ino;
  return (await resolveOutputPath(a)) === (await resolveOutputPath(b));
}

/** Is process `pid` alive? (EPERM: it exists but belongs to someone else.) */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes `<name>.<pid>.tmp` and `<name>.<pid>.<hex>.tmp` next to `target` whose process is gone (left by
 * a kill -9 during a write). Files of live processes are left alone.
 */
export async function removeStaleTempFiles(target: string): Promise<void> {
  const folder = dirname(target);
  const name = basename(target);
  const entries = await readdir(folder).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!entry.startsWith(`${name}.`) || !entry.endsWith('.tmp')) continue;
    const m = /^\.(\d+)(?:\.[0-9a-f]+)?\.tmp$/.exec(entry.slice(name.length));
    if (m === null) continue;
    const pid = Number(m[1]);
    if (!processAlive(pid)) await unlink(join(folder, entry)).catch(() => undefined);
  }
}

/** Content for {@link writeFileAtomic}: text, bytes, or chunks produced as the file is written. */
export type FileContent = string | Uint8Array | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * Writes `content` to `path` atomically (see above). Errors are the file system's (with their `code`,
 * e.g. ENOSPC, EACCES, ENOENT); the temporary file is removed on failure.
 */
export async function writeFileAtomic(path: string, content: FileContent): Promise<void> {
  const target = await resolveOutputPath(path);
  const existing = await stat(target).catch(() => null);
  if (existing !== null && !existing.isFile()) {
    if (existing.isDirectory()) {
      throw Object.assign(new Error(`'${path}' is a directory`), { code: 'EISDIR' });
    }
    await writeFile(target, content); // a device, FIFO or socket: written in place
    return;
  }
  await removeStaleTempFiles(target);
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  pending.add(temp);
  try {
    await writeFile(temp, content, { flag: 'wx' });
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  } finally {
    pending.delete(temp);
  }
}
