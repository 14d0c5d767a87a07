/**
 * What every command shares: the IO streams and environment, the global options, the client
 * built from them, and one way to run a request (send or --dry-run) and print its answer.
 */
import { homedir } from 'node:os';
import { DEFAULT_KUBESPHERE_HOST, NODE_GROUP_LABEL } from '../constants';
import type { Credentials } from '../kapi/auth';
import { type KapiClient, type KapiRequest, withQuery } from '../kapi/client';
import { CA_FILE_ENV, HOST_ENV, PASSWORD_ENV, TOKEN_ENV, USERNAME_ENV } from '../kapi/env';
import { UsageError } from '../kapi/errors';
import { tokenCachePath } from '../kapi/token-cache';
import type { HttpRequest, TransportEvent } from '../kapi/transport';
import { type CurlTls, renderDryRun } from './dry-run';
import { asGroups, type NodeCounts, type OutputFormat, render } from './output';
import type { PromptInput } from './prompt';

export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: PromptInput;
  env: Record<string, string | undefined>;
}

export interface GlobalOptions {
  host?: string;
  token?: string;
  quiet?: boolean;
  output?: OutputFormat;
  /** false with --no-headers. */
  headers?: boolean;
  cluster?: string;
  dryRun?: boolean;
  insecure?: boolean;
  timeout?: number;
}

export class CliContext {
  private built: KapiClient | undefined;

  constructor(
    readonly io: CliIO,
    readonly options: GlobalOptions,
  ) {}

  get host(): string {
    return this.options.host ?? this.io.env[HOST_ENV] ?? DEFAULT_KUBESPHERE_HOST;
  }

  get cacheFile(): string {
    return tokenCachePath(this.io.env['HOME'] || homedir());
  }

  /** How to trust an https host (--insecure, KUBESPHERE_CA_FILE): the client's and the dry run's curl alike. */
  get tls(): CurlTls {
    const caFile = this.io.env[CA_FILE_ENV];
    return { ...(this.options.insecure ? { insecure: true } : {}), ...(caFile ? { caFile } : {}) };
  }

  /** KUBESPHERE_USERNAME and KUBESPHERE_PASSWORD, when both are set. */
  envCredentials(): Credentials | undefined {
    const username = this.io.env[USERNAME_ENV];
    const password = this.io.env[PASSWORD_ENV];
    return username && password ? { username, password } : undefined;
  }

  /** The client; built once. `credentials` overrides the environment's (login). */
  client(credentials = this.envCredentials()): KapiClient {
    if (this.built) return this.built;
    // Required lazily: --dry-run of a bad input never pays for the client.
    const { KapiClient } = require('../kapi/client') as typeof import('../kapi/client');
    this.built = new KapiClient({
      host: this.host,
      ...(this.options.timeout ? { timeoutMs: this.options.timeout * 1000 } : {}),
      ...this.tls,
      ...(this.options.token ? { token: this.options.token } : {}),
      ...(this.io.env[TOKEN_ENV] ? { envToken: this.io.env[TOKEN_ENV] } : {}),
      cacheFile: this.cacheFile,
      ...(credentials ? { credentials } : {}),
      onSaved: (saved) => {
        if (saved.movedCorruptTo) this.warn(`the corrupt token cache was moved to ${saved.movedCorruptTo}`);
      },
      onEvent: (event) => this.onTransportEvent(event),
    });
    return this.built;
  }

  async close(): Promise<void> {
    await this.built?.close();
  }

  warn(message: string): void {
    this.io.stderr.write(`warning: ${message}\n`);
  }

  print(value: unknown, counts?: NodeCounts): void {
    this.io.stdout.write(
      render(value, this.options.output ?? 'json', {
        quiet: this.options.quiet ?? false,
        headers: this.options.headers ?? true,
        ...(counts ? { counts } : {}),
      }),
    );
  }

  /** Print a prepared request instead of sending it. */
  printDryRun(req: HttpRequest, notes: string[]): void {
    this.io.stdout.write(renderDryRun(req, this.client().transport.url(req.path), notes, this.tls));
  }

  /** Send a request (or show it with --dry-run) and print the answer. */
  async run(req: KapiRequest, done?: string): Promise<void> {
    const client = this.client();
    if (this.options.dryRun) {
      this.printDryRun(client.prepare(req, 'redacted'), [this.tokenNote()]);
      return;
    }
    const answer = await client.call(req);
    if (answer === undefined || answer === '') {
      this.io.stdout.write(`${done ?? `${req.method} ${req.path}: done`}\n`);
      return;
    }
    const tabular = this.options.output === 'table' || this.options.output === 'wide';
    const wantsCounts = tabular && asGroups(answer) !== undefined;
    this.print(answer, wantsCounts ? await this.nodeCounts() : undefined);
  }

  /** Where the token would come from, for --dry-run (never the token itself). */
  tokenNote(): string {
    const client = this.client();
    const known = client.auth.known();
    if (known?.source === 'flag') return 'token from --token';
    if (known?.source === 'env') return 'token from KUBESPHERE_TOKEN';
    if (known?.source === 'cache') return `token from the cache ${this.cacheFile}`;
    if (client.auth.canLogin) return 'a login with KUBESPHERE_USERNAME/KUBESPHERE_PASSWORD would come first';
    return 'no token available: pass --token, set KUBESPHERE_TOKEN or run `nodegroup-api login`';
  }

  /** Nodes per group for the table's NODES column, from the node label; undefined if unreadable. */
  private async nodeCounts(): Promise<NodeCounts> {
    const scope = this.options.cluster ? `/clusters/${this.options.cluster}` : '';
    try {
      const list = await this.client().call<{ items?: { metadata?: { labels?: Record<string, string> } }[] }>(
        {
          method: 'GET',
          path: withQuery(`${scope}/api/v1/nodes`, { labelSelector: NODE_GROUP_LABEL }),
        },
      );
      const counts = new Map<string, number>();
      for (const node of list.items ?? []) {
        const group = node.metadata?.labels?.[NODE_GROUP_LABEL];
        if (group) counts.set(group, (counts.get(group) ?? 0) + 1);
      }
      return counts;
    } catch {
      return undefined;
    }
  }

  private onTransportEvent(event: TransportEvent): void {
    if (event.kind === 'retry') {
      this.io.stderr.write(
        `retrying ${event.method} ${event.path} in ${event.delayMs} ms (attempt ${event.attempt + 1}, after ${event.reason})\n`,
      );
    }
  }
}

/** Parse `--timeout` seconds. */
export function parseTimeout(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--timeout '${value}' is not a positive number of seconds`, 'e.g. --timeout 30');
  }
  return seconds;
}
