/**
 * Writes the files allure-js-commons' FileSystemWriter writes, but plainly: no fsync, no temporary
 * name renamed into place. With evidence attached to every step a run writes a few hundred small
 * files, and those two made the run 1.6x slower on these machines (bench/report.bench.ts). The
 * results are read after the run and replaced by the next one; a run killed mid-write leaves a
 * damaged file that report generation names.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderProperties } from './metadata';

export class ResultsWriter {
  private made = false;

  constructor(readonly resultsDir: string) {}

  writeResult(result: { uuid: string }): void {
    this.json(`${result.uuid}-result.json`, result);
  }

  writeGroup(group: { uuid: string }): void {
    this.json(`${group.uuid}-container.json`, group);
  }

  writeAttachment(name: string, content: Buffer): void {
    this.publish(name, (path) => writeFileSync(path, content));
  }

  writeAttachmentFromPath(name: string, from: string): void {
    this.publish(name, (path) => copyFileSync(from, path));
  }

  writeEnvironmentInfo(info: Record<string, string | undefined>): void {
    const defined = Object.entries(info).filter((e): e is [string, string] => e[1] !== undefined);
    this.publish('environment.properties', (path) =>
      writeFileSync(path, renderProperties(Object.fromEntries(defined))),
    );
  }

  writeCategoriesDefinitions(categories: unknown[]): void {
    this.json('categories.json', categories);
  }

  writeGlobals(name: string, info: unknown): void {
    this.json(name, info);
  }

  private json(name: string, value: unknown): void {
    this.publish(name, (path) => writeFileSync(path, JSON.stringify(value)));
  }

  private publish(name: string, write: (path: string) => void): void {
    if (!this.made) mkdirSync(this.resultsDir, { recursive: true });
    this.made = true;
    const path = join(this.resultsDir, name);
    try {
      write(path);
    } catch (err) {
      // The folder was removed under us (another run started with the same reports folder).
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      mkdirSync(this.resultsDir, { recursive: true });
      write(path);
    }
  }
}
