/**
 * More nodes for a sandbox, created through the Kubernetes API as a cluster would register them
 * (POST /api/v1/nodes with the admin's token), `concurrency` at a time. For tests and benchmarks.
 */
import type { Sandbox } from '../../../src/sandbox/sandbox';
import { accessToken } from '../../sandbox-http';

export async function addNodes(
  sandbox: Sandbox,
  count: number,
  options: { prefix: string; labels: Record<string, string>; concurrency?: number },
): Promise<string[]> {
  const token = await accessToken(sandbox.url, sandbox.username, sandbox.password);
  const names = Array.from({ length: count }, (_, i) => `${options.prefix}-${i}`);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++]!;
      const res = await fetch(`${sandbox.url}/api/v1/nodes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: options.labels } }),
      });
      if (res.status !== 201) throw new Error(`POST node ${name}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer().catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  return names;
}
