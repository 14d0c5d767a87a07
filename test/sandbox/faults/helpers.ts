/** A bare request context for fault hooks: records what was answered. */
import type { RequestContext } from '../../../src/sandbox/http/http';

export function fakeRequest(method: string, path: string) {
  const answer: { status?: number; body?: string; type?: string } = {};
  const res = {
    headersSent: false,
    writeHead(status: number, headers: Record<string, string>) {
      answer.status = status;
      answer.type = headers['content-type'] ?? headers['Content-Type'];
      return res;
    },
    setHeader() {},
    end(body?: string) {
      answer.body = String(body ?? '');
    },
  };
  const ctx = {
    method,
    path,
    res,
    req: { headers: {} },
    query: new URLSearchParams(),
  } as unknown as RequestContext;
  return { ctx, answer };
}
