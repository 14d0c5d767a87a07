/**
 * Twin import: read the live state a runbook needs (reads.ts), in the sandbox's state format
 * (`{ resourceVersion, objects: { <resource>: [...] } }`, what `nodegroup-sandbox --state` loads
 * and `startSandbox({ state })` takes), plus the read set: every object read with its
 * resourceVersion and content hash, so an apply can check later that nothing drifted.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { TwinFileError, TwinForbiddenError } from './errors';
import { type ReadCollection, type ReadEntry, readLive } from './reads';
import type { TwinObject } from './sanitize';
import { openTwinSource, type SentRequest, type TwinSource, type TwinTarget } from './target';

export interface ReadSet {
  /** Where it was read (no credentials). */
  source: { host: string; kubeServer: string };
  readAt: string;
  collections: ReadCollection[];
  entries: ReadEntry[];
}

/** The sandbox state format, with the read set alongside (the sandbox ignores `twin`). */
export interface TwinState {
  resourceVersion: number;
  objects: Record<string, TwinObject[]>;
  twin?: { readSet: ReadSet };
}

export interface TwinImport {
  state: TwinState;
  readSet: ReadSet;
  /** Kinds the environment does not serve (404 on their list), e.g. ippools without Calico. */
  notServed: string[];
  /** Every request sent to the environment, in order. */
  requests: SentRequest[];
}

/** Read through an open source (the caller closes it). Throws TwinForbiddenError on any 403. */
export async function importFrom(source: TwinSource, now = new Date()): Promise<TwinImport> {
  const live = await readLive(source);
  if (live.forbidden.length) throw new TwinForbiddenError(live.forbidden);
  const readSet: ReadSet = {
    source: { host: source.host, kubeServer: source.kubeServer },
    readAt: now.toISOString(),
    collections: live.collections,
    entries: live.entries,
  };
  return {
    state: { resourceVersion: live.maxResourceVersion, objects: live.objects, twin: { readSet } },
    readSet,
    notServed: live.collections.filter((c) => !c.served).map((c) => c.resource),
    requests: [...source.requests],
  };
}

/** The one entry point: import the twin of `target` (read-only). */
export async function importTwin(target: TwinTarget): Promise<TwinImport> {
  const source = openTwinSource(target);
  try {
    return await importFrom(source);
  } finally {
    await source.close();
  }
}

/** Write the state file (what `nodegroup-sandbox --state FILE` loads); mode 0600 like the sandbox's. */
export function writeTwinFile(path: string, imported: Pick<TwinImport, 'state'>): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(imported.state), { mode: 0o600 });
    renameSync(temp, path);
  } catch (err) {
    throw new TwinFileError(`cannot write the twin file ${path}: ${(err as Error).message}`);
  }
}

/** A twin file back: its state (for a sandbox) and its read set (for checkDrift). */
export function readTwinFile(path: string): { state: TwinState; readSet: ReadSet } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new TwinFileError(`cannot read the twin file ${path}: ${(err as Error).message}`);
  }
  let state: TwinState;
  try {
    state = JSON.parse(text) as TwinState;
  } catch (err) {
    throw new TwinFileError(`the twin file ${path} is not JSON (${(err as Error).message})`);
  }
  const readSet = state?.twin?.readSet;
  if (typeof state?.resourceVersion !== 'number' || typeof state.objects !== 'object' || !readSet)
    throw new TwinFileError(
      `the twin file ${path} was not written by a twin import (no resourceVersion, objects and twin.readSet); run npm run twin -- --out ${path}`,
    );
  if (!Array.isArray(readSet.entries) || !Array.isArray(readSet.collections))
    throw new TwinFileError(`the twin file ${path} has a damaged read set (entries or collections missing)`);
  return { state, readSet };
}
