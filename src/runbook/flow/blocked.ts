/**
 * The exact `nodegroup-api` command (and API path) for an operation, printed when a step is
 * blocked so the operator can run it by hand, as the guide's response rules ask.
 */
import type { KapiRequest } from '../../kapi/client';
import { withQuery } from '../../kapi/client';
import { ConnectionError, CredentialsError, HttpError, TimeoutError } from '../../kapi/errors';
import { shellQuote } from '../../shell';
import { BlockedError } from '../errors';

const apiPath = (req: KapiRequest) => `${req.method} ${withQuery(req.path, req.query)}`;

/**
 * Turn "cannot run here" failures into a BlockedError naming what is missing and the command to
 * run next; any other error (a real answer of the server) is returned unchanged.
 */
export function explainBlocked(err: unknown, host: string, command: string, req: KapiRequest): unknown {
  const withHost = `KUBESPHERE_HOST=${shellQuote(host)} ${command}`;
  if (err instanceof CredentialsError)
    return new BlockedError(
      'RUNBOOK_ENV_AUTH',
      `no credentials for ${host}: set KUBESPHERE_USERNAME and KUBESPHERE_PASSWORD (or KUBESPHERE_TOKEN), or run \`nodegroup-api login\``,
      withHost,
      apiPath(req),
      err,
    );
  if (err instanceof ConnectionError && err.tls)
    return new BlockedError(
      'RUNBOOK_ENV_TLS',
      `the TLS certificate of ${host} is not trusted (${err.causeCode}): set KUBESPHERE_CA_FILE to the PEM file of its CA`,
      withHost,
      apiPath(req),
      err,
    );
  if (err instanceof ConnectionError)
    return new BlockedError(
      'RUNBOOK_ENV_UNREACHABLE',
      `cannot reach ${host} (${err.causeCode}): check KUBESPHERE_HOST and that ks-apiserver is reachable from here`,
      withHost,
      apiPath(req),
      err,
    );
  if (err instanceof TimeoutError)
    return new BlockedError(
      'RUNBOOK_ENV_TIMEOUT',
      `no answer from ${host} within ${err.timeoutMs / 1000} s`,
      withHost,
      apiPath(req),
      err,
    );
  if (err instanceof HttpError && err.status === 401)
    return new BlockedError(
      'RUNBOOK_ENV_AUTH',
      `${host} rejected the token (401): run \`nodegroup-api clear-cache\` and \`nodegroup-api login\``,
      withHost,
      apiPath(req),
      err,
    );
  return err;
}
