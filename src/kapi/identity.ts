/**
 * Who the server says a token is: KubeSphere 4's OpenID Connect `GET /oauth/userinfo` (claims
 * preferred_username / name / sub of the token's user). A server without it (KubeSphere 3) gets the
 * `username` claim of the token itself, marked as unverified.
 */
import type { KapiClient } from './client';
import { HttpError } from './errors';

export const USERINFO_PATH = '/oauth/userinfo';

export interface Identity {
  user: string;
  /** How it was learned: `GET /oauth/userinfo`, or the token's claims (not checked by the server). */
  source: string;
}

function claimOf(token: string | undefined): string | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const name = claims['username'] ?? claims['preferred_username'] ?? claims['sub'];
    return typeof name === 'string' && name ? name : undefined;
  } catch {
    return undefined;
  }
}

/** The identity of the token the client sends (logging in first when it must). */
export async function whoAmI(client: KapiClient): Promise<Identity> {
  try {
    const claims = await client.call<Record<string, unknown>>({ method: 'GET', path: USERINFO_PATH });
    const user = [claims?.['preferred_username'], claims?.['name'], claims?.['sub']].find(
      (v): v is string => typeof v === 'string' && v !== '',
    );
    if (user) return { user, source: `GET ${USERINFO_PATH}` };
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 404) throw err;
  }
  const user = claimOf(client.auth.known()?.value);
  return user
    ? { user, source: "the token's claims (the server has no /oauth/userinfo; not verified)" }
    : { user: 'unknown', source: `the server has no ${USERINFO_PATH} and the token is not a JWT` };
}
