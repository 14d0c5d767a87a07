/**
 * `--dry-run`: the exact HTTP request and an equivalent curl command, secrets replaced by
 * shell variables ("$KUBESPHERE_TOKEN", "$KUBESPHERE_PASSWORD") so the command stays runnable.
 */
import { REDACTED } from '../kapi/exchange';
import type { HttpRequest } from '../kapi/transport';
import { shellQuote } from '../shell';

/** How curl should trust an https host, as the client would: `-k` or `--cacert FILE`. */
export interface CurlTls {
  insecure?: boolean;
  caFile?: string;
}

export function renderDryRun(req: HttpRequest, url: string, notes: string[] = [], tls: CurlTls = {}): string {
  const lines = ['# dry run: nothing was sent', ...notes.map((note) => `# ${note}`)];
  lines.push(`${req.method} ${url}`);
  for (const [name, value] of Object.entries(req.headers)) {
    lines.push(`${name}: ${name === 'authorization' ? `Bearer ${REDACTED}` : value}`);
  }
  const form = req.headers['content-type'] === 'application/x-www-form-urlencoded';
  if (req.body !== undefined) lines.push('', form ? redactForm(req.body) : req.body);
  lines.push('', curlCommand(req, url, tls));
  return `${lines.join('\n')}\n`;
}

function redactForm(body: string): string {
  const params = new URLSearchParams(body);
  if (params.has('password')) params.set('password', REDACTED);
  return params.toString().replace(encodeURIComponent(REDACTED), REDACTED);
}

export function curlCommand(req: HttpRequest, url: string, tls: CurlTls = {}): string {
  const parts = ['curl', '-sS', '-X', req.method, shellQuote(url)];
  if (url.startsWith('https:')) {
    if (tls.insecure) parts.push('-k');
    else if (tls.caFile) parts.push('--cacert', shellQuote(tls.caFile));
  }
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization') parts.push('-H', '"Authorization: Bearer $KUBESPHERE_TOKEN"');
    else parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  if (req.body !== undefined) {
    if (req.headers['content-type'] === 'application/x-www-form-urlencoded') {
      for (const [key, value] of new URLSearchParams(req.body)) {
        parts.push(
          '--data-urlencode',
          key === 'password' ? '"password=$KUBESPHERE_PASSWORD"' : shellQuote(`${key}=${value}`),
        );
      }
    } else {
      parts.push('--data-raw', shellQuote(req.body));
    }
  }
  return parts.join(' ');
}
