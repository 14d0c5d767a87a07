/**
 * Writes the files allure-js-commons' FileSystemWriter writes, but plainly and off the main
 * thread: no fsync, no temporary name renamed into place, one file after another on libuv's thread
 * pool while the run goes on. With evidence on every step a run writes a few hundred small files:
 * fsync made the run 1.6x slower, and creating the files is the largest part of what the report
 * still adds (bench/report.bench.ts; on ext4 without a journal each new file costs the kernel a
 * scan past every inode deleted in the last minute or more). One at a time, because files created
 * in one folder queue on the folder's lock anyway and parallel writers only spin there.
 * The results are complete once `flush()` resolves (the formatter awaits it before cucumber
 * exits); a run killed mid-write leaves a damaged file that report generation names.
 */
import { mkdirSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderProperties } from './metadata';

export class ResultsWriter {
  private made = false;
  /** The last write queued: each write starts when the one before it has ended. */
  private queue: Promise<void> = Promise.resolve();
  private readonly failures: string[] = [];

  constructor(readonly resultsDir: string) {}

  writeResult(result: { uuid: string }): void {
    this.json(`${result.uuid}-result.json`, result);
  }

  writeGroup(group: { uuid: string }): void {
    this.json(`${group.uuid}-container.json`, group);
  }

  writeAttachment(name: string, content: Buffer): void {
    this.publish(name, (path) => writeFile(path, content));
  }

  writeAttachmentFromPath(name: string, from: string): void {
    this.publish(name, (path) => copyFile(from, path));
  }

  writeEnvironmentInfo(info: Record<string, string | undefined>): void {
    const defined = Object.entries(info).filter((e): e is [string, string] => e[1] !== undefined);
    const text = renderProperties(Object.fromEntries(defined));
    this.publish('environment.properties', (path) => writeFile(path, text));
  }

  writeCategoriesDefinitions(categories: unknown[]): void {
    this.json('categories.json', categories);
  }

  writeGlobals(name: string, info: unknown): void {
    this.json(name, info);
  }

  /**
   * Resolves once every file handed over so far is written; rejects naming the files that could
   * not be written (every other file is still written).
   */
  async flush(): Promise<void> {
    await this.queue;
    if (this.failures.length)
      throw new Error(
        `Allure results: ${this.failures.length} file(s) could not be written to ${this.resultsDir}: ${this.failures.join('; ')}`,
      );
  }

  /** Serialised at once: allure-js-commons goes on using the object after handing it over. */
  private json(name: string, value: unknown): void {
    const text = JSON.stringify(value);
    this.publish(name, (path) => writeFile(path, text));
  }

  private publish(name: string, write: (path: string) => Promise<void>): void {
    if (!this.made) mkdirSync(this.resultsDir, { recursive: true });
    this.made = true;
    const path = join(this.resultsDir, name);
    this.queue = this.queue
      .then(() => write(path))
      .catch(async (err: NodeJS.ErrnoException) => {
        // The folder was removed under us (another run started with the same reports folder).
        if (err.code !== 'ENOENT') throw err;
        await mkdir(this.resultsDir, { recursive: true });
        await write(path);
      })
      .catch((err: Error) => {
        this.failures.push(`${name}: ${err.message}`);
      });
  }
}
