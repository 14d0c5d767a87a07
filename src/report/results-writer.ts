/**
 * Writes Allure results the way allure-js-commons' FileSystemWriter does (each file to a temporary
 * name, then renamed, so a reader never sees half a file), minus its fsync per file: with evidence
 * attached to every step a run writes hundreds of small files, and an fsync each made the run
 * 1.6x slower on these machines. Results are rewritten by the next run anyway; durability across
 * a power cut is not worth that.
 */
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
    this.publish(name, (tmp) => writeFileSync(tmp, content));
  }

  writeAttachmentFromPath(name: string, from: string): void {
    this.publish(name, (tmp) => copyFileSync(from, tmp));
  }

  writeEnvironmentInfo(info: Record<string, string | undefined>): void {
    const defined = Object.entries(info).filter((e): e is [string, string] => e[1] !== undefined);
    this.publish('environment.properties', (tmp) =>
      writeFileSync(tmp, renderProperties(Object.fromEntries(defined))),
    );
  }

  writeCategoriesDefinitions(categories: unknown[]): void {
    this.json('categories.json', categories);
  }

  writeGlobals(name: string, info: unknown): void {
    this.json(name, info);
  }

  private json(name: string, value: unknown): void {
    this.publish(name, (tmp) => writeFileSync(tmp, JSON.stringify(value)));
  }

  private publish(name: string, write: (tmp: string) => void): void {
    if (!this.made) mkdirSync(this.resultsDir, { recursive: true });
    this.made = true;
    const path = join(this.resultsDir, name);
    const tmp = join(this.resultsDir, `.${name}.${process.pid}.tmp`);
    try {
      write(tmp);
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }
}
