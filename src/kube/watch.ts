/**
 * A watch followed to its end, through client-node's Watch (client-node loaded here, on a run's
 * first wait that is not met at once).
 */
import type { KubeConfig } from '@kubernetes/client-node';

type ClientNode = typeof import('@kubernetes/client-node');
let clientNode: ClientNode | undefined;
/** @kubernetes/client-node, loaded on first use. */
export const loadClientNode = (): ClientNode => {
  clientNode ??= require('@kubernetes/client-node') as ClientNode;
  return clientNode;
};

/**
 * Follow a watch until `onEvent` returns the awaited value, the deadline passes (`timeout()`),
 * or the server ends the watch first (then `onClosed` reads again and decides). The watch is
 * aborted whichever way it ends.
 */
/** `O`: the objects the watch sends (KubeObject for the reader). */
export function followWatch<T, O>(
  config: KubeConfig,
  w: {
    path: string;
    query: Record<string, string | boolean>;
    timeoutMs: number;
    /** Ends the wait early, rejecting with the signal's reason (the caller knows it cannot hold). */
    signal?: AbortSignal;
    timeout: () => Error;
    onEvent: (type: string, obj: O) => { value: T } | undefined;
    onClosed: () => Promise<T>;
  },
): Promise<T> {
  const watch = new (loadClientNode().Watch)(config);
  return new Promise((resolve, reject) => {
    let controller: AbortController | undefined;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      controller?.abort();
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(w.timeout())), w.timeoutMs);
    const aborted = () => finish(() => reject(w.signal?.reason));
    if (w.signal?.aborted) aborted();
    w.signal?.addEventListener('abort', aborted, { once: true });
    watch
      .watch(
        w.path,
        w.query,
        (type: string, obj: O) => {
          const done = w.onEvent(type, obj);
          if (done) finish(() => resolve(done.value));
        },
        (err: unknown) => {
          if (settled) return;
          if (err && (err as { name?: string }).name !== 'AbortError') return finish(() => reject(err));
          // The server closed the watch before the condition held: read again and re-check.
          w.onClosed().then(
            (value) => finish(() => resolve(value)),
            (e) => finish(() => reject(e)),
          );
        },
      )
      .then(
        (c) => {
          controller = c;
          if (settled) c.abort();
        },
        (err) => finish(() => reject(err)),
      );
  });
}
