/**
 * The one atomic file writer: the text goes to a temporary file beside the target (same
 * directory, so the rename cannot cross file systems), is flushed to disk, then renamed over the
 * target. A reader sees the old file or the new one, never half of one; a failure leaves the old
 * file and no temporary one.
 */
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** `mode`: the file's permission bits (e.g. 0o600 for a secret), set before any byte is written. */
export function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): void {
  const temp = join(
    dirname(file),
    `.${basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  let fd: number | undefined;
  try {
    // `wx`: a fresh file of our own (never follows a planted link), with the mode from the start.
    fd = openSync(temp, 'wx', options.mode ?? 0o666);
    // The mode asked, exactly: open's is narrowed by the umask.
    if (options.mode !== undefined) fchmodSync(fd, options.mode);
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
}
