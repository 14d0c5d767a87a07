/** token-expiry: every token issued so far expires at once (clients must log in again). */
import { defineFault } from './fault';

export const tokenExpiry = defineFault<Record<string, never>>({
  name: 'token-expiry',
  summary: 'every token issued so far expires now',
  options: {},
  onSet: (env) => env.expireTokens?.(),
});
