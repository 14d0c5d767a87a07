/**
 * A sandbox controller's work queue, as client-go's: keys deduplicated, one pass run on the next
 * turn of the event loop after the first key arrives; nothing is queued while stopped.
 */
export class KeyQueue {
  /** The keys waiting; a pass takes them out as it handles them. */
  readonly keys = new Set<string>();
  private scheduled = false;
  private running = false;

  constructor(private readonly pass: () => void) {}

  /** False when it was running already. */
  start(): boolean {
    if (this.running) return false;
    this.running = true;
    return true;
  }

  stop(): void {
    this.running = false;
    this.keys.clear();
  }

  /** No pass is scheduled (keys may still wait, e.g. while a fault holds the controller). */
  get idle(): boolean {
    return !this.scheduled;
  }

  add(key: string): void {
    if (!this.running) return;
    this.keys.add(key);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.running) this.pass();
    });
  }
}
