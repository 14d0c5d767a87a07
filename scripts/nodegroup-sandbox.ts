/**
 * `nodegroup-sandbox`: run the embedded sandbox until SIGINT/SIGTERM.
 * Prints `sandbox ready at http://127.0.0.1:N` once both listeners serve.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { MAX_MEMBERS } from '../src/sandbox/members/members';
import { startSandbox } from '../src/sandbox/sandbox';
import { runAsCommand } from './command';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return n;
}

function members(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > MAX_MEMBERS)
    throw new InvalidArgumentError(`the number of member clusters is an integer from 0 to ${MAX_MEMBERS}`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('nodegroup-sandbox')
    .description('A local KubeSphere + nodegroup simulator that kubectl, client-node and curl talk to.')
    .option('--port <n>', 'ks-apiserver port (http; 0 = any free port)', port, 0)
    .option('--kube-port <n>', 'kube-apiserver port (https; 0 = any free port)', port, 0)
    .option(
      '--env-out <path>',
      'write export lines for KUBESPHERE_* (admin and viewer logins) and KUBECONFIG here (kubeconfig beside it)',
    )
    .option(
      '--env-file <path>',
      'the former name of --env-out (Node 20 takes it as its own option under npx and npm)',
    )
    .option('--state <path>', 'load state from this file at start, save it there on stop')
    .option(
      '--password <p>',
      'admin password (default: KubeSphere default; prefer SANDBOX_PASSWORD in the environment)',
    )
    .option(
      '--viewer-password <p>',
      'read-only viewer password (default: random, written to --env-out; or SANDBOX_VIEWER_PASSWORD)',
    )
    .option('--members <n>', 'member clusters member-1..N behind the host (default 0)', members, 0)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(argv);
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 2;
  }
  const o = program.opts<{
    port: number;
    kubePort: number;
    envOut?: string;
    envFile?: string;
    state?: string;
    password?: string;
    viewerPassword?: string;
    members: number;
  }>();
  if (o.envOut !== undefined && o.envFile !== undefined && o.envOut !== o.envFile) {
    process.stderr.write('nodegroup-sandbox: --env-out and --env-file name the same file; give one\n');
    return 2;
  }
  const envOut = o.envOut ?? o.envFile;
  // Its folder is made when missing (the kubeconfig goes beside it).
  if (envOut !== undefined) mkdirSync(dirname(resolve(envOut)), { recursive: true });
  const viewerPassword = o.viewerPassword ?? process.env.SANDBOX_VIEWER_PASSWORD;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox({
      port: o.port,
      kubePort: o.kubePort,
      envFile: envOut,
      ...(viewerPassword !== undefined ? { viewerPassword } : {}),
      statePath: o.state,
      members: o.members,
      password: o.password ?? process.env.SANDBOX_PASSWORD,
    });
  } catch (err) {
    process.stderr.write(`nodegroup-sandbox: ${(err as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`sandbox ready at ${sandbox.url}\n`);
  if (o.members > 0)
    process.stdout.write(
      `member clusters ${sandbox.members.names.join(', ')} at ${sandbox.url}/clusters/<name>/ (list: ${sandbox.url}/apis/cluster.kubesphere.io/v1alpha1/clusters)\n`,
    );
  process.stdout.write(`kube-apiserver at ${sandbox.kubeUrl} (kubeconfig: ${sandbox.kubeconfigPath})\n`);
  if (sandbox.envFile) process.stdout.write(`environment: source ${sandbox.envFile}\n`);
  else
    process.stdout.write(
      `user ${sandbox.username}; pass --env-out to get the passwords and KUBECONFIG exports\n`,
    );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  try {
    await sandbox.stop();
  } catch (err) {
    process.stderr.write(`nodegroup-sandbox: stopping failed: ${(err as Error).message}\n`);
    return 1;
  }
  process.stdout.write(o.state ? `sandbox stopped; state saved to ${o.state}\n` : 'sandbox stopped\n');
  return 0;
}

if (require.main === module) runAsCommand('nodegroup-sandbox', () => main(process.argv));
