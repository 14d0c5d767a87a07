/** The files a client of the sandbox reads: a kubeconfig and a shell env file. */
import { stringify } from 'yaml';

export function kubeconfigYaml(o: { server: string; caPem: string; token: string; user: string }): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'sandbox',
        cluster: { server: o.server, 'certificate-authority-data': Buffer.from(o.caPem).toString('base64') },
      },
    ],
    users: [{ name: o.user, user: { token: o.token } }],
    contexts: [{ name: 'sandbox', context: { cluster: 'sandbox', user: o.user } }],
    'current-context': 'sandbox',
    preferences: {},
  });
}

/** `export NAME='value'` lines, single-quoted so any password survives the shell. */
export function envFileText(env: Record<string, string>): string {
  const quote = (v: string) => `'${v.replaceAll("'", `'\\''`)}'`;
  return `${Object.entries(env)
    .map(([k, v]) => `export ${k}=${quote(v)}`)
    .join('\n')}\n`;
}
