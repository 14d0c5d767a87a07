/**
 * `npm run twin -- --out FILE`: read the live environment (KUBESPHERE_HOST, its credentials,
 * KUBECONFIG, as the runner's live profile does) and write its twin: the sandbox state that
 * `nodegroup-sandbox --state FILE` starts from, with the read set alongside.
 * `npm run twin -- --drift FILE`: re-read and list what changed since FILE was imported.
 * Read-only either way: it prints the requests it sent (GET, and the login's POST /oauth/token).
 */
import { Command } from 'commander';
import { checkDrift, describeDrift } from '../src/twin/drift';
import { importTwin, readTwinFile, writeTwinFile } from '../src/twin/import';
import type { SentRequest } from '../src/twin/target';
import { type TwinTarget, twinTargetFromEnv } from '../src/twin/target';
import { runAsCommand } from './command';

type Out = { write(text: string): unknown };

function describeRequests(requests: readonly SentRequest[]): string {
  const reads = requests.filter((r) => r.method === 'GET').length;
  const other = requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
  return `${reads} GET${other.length ? ` and ${other.join(', ')}` : ''}`;
}

export async function main(
  argv: string[],
  io: { out: Out; err: Out; env: Readonly<Record<string, string | undefined>>; target?: TwinTarget } = {
    out: process.stdout,
    err: process.stderr,
    env: process.env,
  },
): Promise<number> {
  const program = new Command('twin')
    .description('Write the twin (sandbox state) of the live environment, or check a twin for drift.')
    .option('--out <file>', 'write the twin state file here')
    .option('--drift <file>', 'list what changed on the environment since this twin file was written')
    .exitOverride()
    .configureOutput({ writeErr: (s) => io.err.write(s), writeOut: (s) => io.out.write(s) });
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    return (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const o = program.opts<{ out?: string; drift?: string }>();
  if (!o.out === !o.drift) {
    io.err.write('twin: pass exactly one of --out FILE (import) or --drift FILE (check a twin)\n');
    return 2;
  }
  const target = io.target ?? twinTargetFromEnv(io.env);
  if (o.drift) {
    const twin = readTwinFile(o.drift);
    const report = await checkDrift(twin.readSet, target, twin.state.objects);
    io.out.write(`${describeDrift(report)}\nsent to ${target.host}: ${describeRequests(report.requests)}\n`);
    return report.drifted.length ? 1 : 0;
  }
  const imported = await importTwin(target);
  writeTwinFile(o.out!, imported);
  const counts = Object.entries(imported.state.objects)
    .map(([resource, list]) => `${list.length} ${resource}`)
    .join(', ');
  io.out.write(
    `twin of ${target.host} written to ${o.out}: ${counts}\n` +
      (imported.notServed.length ? `not served there: ${imported.notServed.join(', ')}\n` : '') +
      `sent: ${describeRequests(imported.requests)} (nothing was written)\n` +
      // The sandbox saves its state over its --state file on stop: run a copy, keep FILE for --drift.
      `start a twin: cp ${o.out} twin-run.json && nodegroup-sandbox --state twin-run.json (keep ${o.out} for --drift)\n`,
  );
  return 0;
}

if (require.main === module) runAsCommand('twin', () => main(process.argv.slice(2)));
