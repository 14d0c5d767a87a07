/**
 * Requests as a hostile or careless client sends them: the path verbatim (`//%2f%2f`), any
 * header, chunked bodies. A reset or hang-up rejects (the fuzzer counts those as failures).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent in one piece with a Content-Length, or (array) as chunks with Transfer-Encoding: chunked. */
  body?: string | Buffer | Buffer[];
  /** A stream (a watch): answer with the status once the headers are in, then hang up. */
  stream?: boolean;
}

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export class RawClient {
  private readonly agent: HttpAgent;
  private readonly https: boolean;

  constructor(
    private readonly base: string,
    private readonly ca?: string,
    maxSockets = 8,
  ) {
    this.https = base.startsWith('https:');
    this.agent = this.https
      ? new HttpsAgent({ keepAlive: true, maxSockets, ca })
      : new HttpAgent({ keepAlive: true, maxSockets });
  }

  send(r: RawRequest, timeoutMs = 10_000): Promise<RawReply> {
    const url = new URL(this.base);
    // Node frames a body by default only for some methods (not DELETE, GET ...): frame it always.
    const headers = { ...r.headers };
    if (Array.isArray(r.body)) headers['transfer-encoding'] = 'chunked';
    else if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
    return new Promise((resolve, reject) => {
      const req = (this.https ? httpsRequest : httpRequest)(
        {
          host: url.hostname,
          port: url.port,
          method: r.method,
          path: r.path,
          headers,
          agent: this.agent,
          ca: this.ca,
        },
        (res) => {
          if (r.stream && res.statusCode === 200) {
            resolve({ status: 200, headers: res.headers, body: '' });
            req.destroy();
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString(),
            }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      if (Array.isArray(r.body)) {
        for (const chunk of r.body) req.write(chunk);
        req.end();
      } else req.end(r.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
