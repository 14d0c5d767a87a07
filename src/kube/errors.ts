/**
 * Errors of the Kubernetes reads (client-node), beside the KAPI's (src/kapi/errors.ts): a stable
 * `code`, the request, and what the server said (status, Status `reason`, body), or the socket
 * error as `cause`. Callers branch on the code and status, never on the wording.
 */
import { CodedError } from '../coded-error';

export type KubeErrorCode = 'KUBE_API_ERROR' | 'KUBE_UNREACHABLE';

/** The Kubernetes API answered a read with a status other than success (and other than a GET's 404). */
export class KubeApiError extends CodedError<'KUBE_API_ERROR'> {
  readonly code = 'KUBE_API_ERROR' as const;
  constructor(
    readonly verb: 'GET' | 'LIST',
    /** The request path (`/api/v1/nodes/worker-1`). */
    readonly path: string,
    readonly status: number,
    /** Kubernetes Status `reason` (`NotFound`, `Forbidden`), when the body is a Status. */
    readonly reason: string | undefined,
    readonly body: unknown,
    /** What was read, for the message: `nodes/worker-1`, `ippools`. */
    what: string,
  ) {
    super(`${verb} ${what}: ${status} ${statusMessage(body)}`);
  }
}

/** The Kubernetes API could not be reached (refused, reset, unknown name, TLS). */
export class KubeUnreachableError extends CodedError<'KUBE_UNREACHABLE'> {
  readonly code = 'KUBE_UNREACHABLE' as const;
  constructor(
    readonly server: string,
    /** The system or TLS code (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT). */
    readonly causeCode: string,
    cause: unknown,
  ) {
    super(`cannot reach the Kubernetes API at ${server} (${causeCode})`, { cause });
  }
}

export function statusMessage(body: unknown): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : '';
}

/** The `reason` of a Kubernetes Status body. */
export function statusReason(body: unknown): string | undefined {
  const b = body as { kind?: unknown; reason?: unknown } | undefined;
  return b?.kind === 'Status' && typeof b.reason === 'string' ? b.reason : undefined;
}
