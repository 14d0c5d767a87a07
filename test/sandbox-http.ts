/**
 * Plain HTTP helpers for tests (and benchmarks) that talk to a sandbox or a TLS server directly:
 * a token by the password grant, and a GET over https that trusts a given CA.
 */
import { request } from 'node:https';
import { passwordGrant } from '../src/kapi/auth';
import { Transport } from '../src/kapi/transport';

/** An access token from `url`'s /oauth/token (password grant), as `nodegroup-api login` gets one. */
export async function accessToken(url: string, username: string, password: string): Promise<string> {
  const transport = new Transport({ host: url });
  try {
    return (await passwordGrant(transport, { username, password })).accessToken;
  } finally {
    await transport.close();
  }
}

/** GET over https trusting `ca` (absent: the system CAs); rejects with the TLS error when the handshake fails. */
export function httpsGet(
  url: string,
  options: { ca?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
