import { renameSync, writeFileSync } from 'node:fs';

/** Write a file that readers never see half-written, readable by its owner only (it may hold secrets). */
export function writeFileAtomic(path: string, content: string, mode = 0o600): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode });
  renameSync(temp, path);
}
