/** `login` and `clear-cache`: the token cache commands of the guide's helper. */
import { type Credentials, loginRequest, passwordGrant } from '../kapi/auth';
import { PASSWORD_ENV, USERNAME_ENV } from '../kapi/env';
import { CredentialsError } from '../kapi/errors';
import { clearTokenCache, writeTokenCache } from '../kapi/token-cache';
import { parseHost } from '../kapi/transport';
import type { CliContext } from './context';
import { prompt } from './prompt';

export interface LoginFlags {
  username?: string;
  password?: string;
}

async function credentialsFor(ctx: CliContext, flags: LoginFlags): Promise<Credentials> {
  const { env, stdin, stderr } = ctx.io;
  const onTerminal = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  let username = flags.username ?? env[USERNAME_ENV];
  if (!username && onTerminal) username = (await prompt('Username: ', stdin, stderr, false)).trim();
  if (!username) throw new CredentialsError('missing username: pass --username or set KUBESPHERE_USERNAME');
  let password = flags.password ?? env[PASSWORD_ENV];
  if (!password && onTerminal) password = await prompt('Password: ', stdin, stderr, true);
  if (!password) {
    throw new CredentialsError(
      'missing password: pass --password, set KUBESPHERE_PASSWORD, or run on a terminal to be asked for it',
    );
  }
  return { username, password };
}

export async function login(ctx: CliContext, flags: LoginFlags): Promise<void> {
  parseHost(ctx.host); // a bad host is reported before asking for a password
  const credentials = await credentialsFor(ctx, flags);
  const client = ctx.client(credentials);
  if (ctx.options.dryRun) {
    ctx.printDryRun(loginRequest(credentials), [`the token would be cached in ${ctx.cacheFile}`]);
    return;
  }
  const granted = await passwordGrant(client.transport, credentials);
  const saved = writeTokenCache(ctx.cacheFile, granted.accessToken, granted.expiresIn, undefined, {
    host: ctx.host,
    user: credentials.username,
  });
  if (saved.movedCorruptTo) ctx.warn(`the corrupt token cache was moved to ${saved.movedCorruptTo}`);
  const expires = new Date(saved.cached.expires_at * 1000).toISOString();
  ctx.io.stdout.write(
    `logged in to ${ctx.host} as ${credentials.username}; token cached in ${saved.file} until ${expires}\n`,
  );
}

export function clearCache(ctx: CliContext): void {
  if (ctx.options.dryRun) {
    ctx.io.stdout.write(`# dry run: would remove ${ctx.cacheFile}\n`);
    return;
  }
  const removed = clearTokenCache(ctx.cacheFile);
  ctx.io.stdout.write(removed ? `removed ${ctx.cacheFile}\n` : `no token cache at ${ctx.cacheFile}\n`);
}
