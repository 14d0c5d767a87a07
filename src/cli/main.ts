/**
 * `nodegroup-api` entry: parse, run, map every failure to an exit code and a message.
 * 0 success; 1 the server refused or failed; 2 usage error; 3 cannot reach the host.
 * Never calls process.exit: the bin shim sets process.exitCode.
 */
import { CommanderError } from 'commander';
import { environmentForCli } from '../environment/cli';
import { EnvironmentError } from '../environment/errors';
import { ConnectionError, HttpError, KapiError, TimeoutError, UsageError } from '../kapi/errors';
import type { CliContext, CliIO } from './context';
import { buildProgram } from './program';

export const EXIT = { ok: 0, server: 1, usage: 2, unreachable: 3 } as const;

export async function main(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const stderr = io.stderr ?? process.stderr;
  let chosen: ReturnType<typeof environmentForCli>;
  try {
    chosen = environmentForCli(argv, io.env ?? process.env); // --env NAME / RUNBOOK_ENV
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw err;
    stderr.write(`error: ${err.message}\n`);
    return err.exitCode;
  }
  argv = chosen.argv;
  const fullIO: CliIO = {
    stdout: io.stdout ?? process.stdout,
    stderr,
    stdin: io.stdin ?? process.stdin,
    env: chosen.env,
  };
  const contexts: CliContext[] = [];
  const program = buildProgram(fullIO, contexts);
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    return report(err, fullIO, contexts[0]?.host);
  } finally {
    await Promise.all(contexts.map((ctx) => ctx.close()));
  }
}

function report(err: unknown, io: CliIO, host: string | undefined): number {
  const write = (text: string) => io.stderr.write(`${text}\n`);
  if (err instanceof CommanderError) {
    // commander has already printed the message and the command's help.
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof HttpError) {
    write(`error: ${err.message}`);
    if (err.status === 401) {
      write(
        'the token was refused: run `nodegroup-api login`, or set KUBESPHERE_USERNAME and KUBESPHERE_PASSWORD',
      );
    } else if (err.status === 403) {
      write('the user is not allowed to do this: log in as a user with the right role');
    }
    return EXIT.server;
  }
  if (err instanceof ConnectionError && err.tls) {
    write(`error: ${err.message}`);
    write(
      `the host ${err.host} answered, but its TLS certificate is not trusted here: set KUBESPHERE_CA_FILE ` +
        'to the PEM file of its CA (or pass --insecure only for a host you trust)',
    );
    return EXIT.unreachable;
  }
  if (err instanceof ConnectionError || err instanceof TimeoutError) {
    write(`error: ${err.message}`);
    write(
      `check --host or KUBESPHERE_HOST (now ${host ?? err.host}), that ks-apiserver is running, and that this machine can reach it`,
    );
    return EXIT.unreachable;
  }
  if (err instanceof UsageError) {
    write(`error: ${err.message}`);
    if (err.hint) write(err.hint);
    return EXIT.usage;
  }
  if (err instanceof KapiError) {
    write(`error: ${err.message}`);
    return EXIT.usage;
  }
  write(`error: ${err instanceof Error ? err.message : String(err)}`);
  return EXIT.server;
}
