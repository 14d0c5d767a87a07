/**
 * Per-run unique names for what a scenario creates: the runbook says `nodegroup "canary"`, the
 * target sees `canary-<run>-<n>`, so reruns, parallel workers and a live cluster never collide.
 * An operation (`@operation`, see operation-mode.ts) uses its names exactly as written: its
 * NameBook is `exact`, so `claim` returns the name itself.
 */
import { randomBytes } from 'node:crypto';

/** Short, DNS-1123-safe run id: time-ordered, then random. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(2, 14);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

const MAX_NAME = 63;

export class NameBook {
  private readonly claimed = new Map<string, string>();
  private static counter = 0;

  constructor(
    private readonly runTag: string,
    /** Operation mode: names are used as written (no run suffix). */
    readonly exact = false,
  ) {}

  /** A fresh unique name for `base` (itself when exact), remembered so later steps saying `base` mean it. */
  claim(base: string): string {
    if (this.exact) {
      this.claimed.set(base, base);
      return base;
    }
    NameBook.counter++;
    const suffix = `-${this.runTag}-${NameBook.counter.toString(36)}`;
    const unique = `${base.slice(0, MAX_NAME - suffix.length).replace(/-+$/, '')}${suffix}`;
    this.claimed.set(base, unique);
    return unique;
  }

  /** The unique name claimed for `name` in this scenario, or `name` itself (an existing object). */
  resolve(name: string): string {
    return this.claimed.get(name) ?? name;
  }

  /** Every name claimed so far, as [name in the runbook, unique name]. */
  entries(): [string, string][] {
    return [...this.claimed.entries()];
  }

  /**
   * A text with the unique names put in where it says a claimed name as a word of its own
   * (`racks` -> `racks-<run>-<n>`, also inside `racks-ippool`, not inside `myracks`).
   */
  inText(text: string): string {
    let out = text;
    for (const [base, unique] of this.claimed) {
      const word = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      out = out.replace(new RegExp(`(?<![a-z0-9])${word}(?![a-z0-9])`, 'g'), unique);
    }
    return out;
  }
}

/** The tag put into unique names: the random part of the run id plus the worker. */
export function runTag(runId: string, workerId: string | undefined): string {
  const random = runId.split('-').pop() ?? runId;
  return workerId ? `${random}w${workerId}` : random;
}
