/**
 * The embedded sandbox's fault-control API (`/sandbox/v1`, admin only) through the run's KAPI
 * client: list, switch on, switch off, reset. Faults exist only on the sandbox, so the client
 * refuses any other target before sending anything. It knows no fault names or options: the
 * sandbox validates them and its 400/404 message (which lists the faults and their options) is
 * passed on.
 */
import type { KapiClient } from '../../kapi/client';
import { HttpError } from '../../kapi/errors';
import { GuardrailError, RunbookError } from '../errors';

const CONTROL = '/sandbox/v1';

/** A fault as the sandbox reports it. */
export interface ActiveFault {
  name: string;
  options: Record<string, unknown>;
  since: string;
  remaining?: number;
}

export interface FaultList {
  faults: ActiveFault[];
  available: string[];
}

/** The sandbox refused a fault request: unknown name, bad option, not the admin user. */
export class FaultRequestError extends RunbookError {
  readonly code = 'RUNBOOK_CONFIG' as const;
  constructor(message: string, cause: HttpError) {
    super(message, { cause });
    this.name = 'FaultRequestError';
  }
}

export class FaultClient {
  constructor(
    private readonly kapi: KapiClient,
    private readonly target: { kind: 'sandbox' | 'live'; host: string },
  ) {}

  list(): Promise<FaultList> {
    return this.request<FaultList>('GET', `${CONTROL}/faults`, 'list the faults');
  }

  /** The fault when it is on. */
  async get(name: string): Promise<ActiveFault | undefined> {
    return (await this.list()).faults.find((f) => f.name === name);
  }

  /** Switch a fault on (or replace its options). */
  set(name: string, options: Record<string, unknown> = {}): Promise<ActiveFault> {
    return this.request<ActiveFault>(
      'PUT',
      `${CONTROL}/faults/${encodeURIComponent(name)}`,
      `switch on fault ${name}`,
      options,
    );
  }

  /** Switch a fault off; false when it was not on. */
  async clear(name: string): Promise<boolean> {
    const answer = await this.request<{ removed: boolean }>(
      'DELETE',
      `${CONTROL}/faults/${encodeURIComponent(name)}`,
      `switch off fault ${name}`,
    );
    return answer.removed;
  }

  /** Every fault off and the fixture back (the sandbox's own reset). */
  async reset(): Promise<void> {
    await this.request('POST', `${CONTROL}/reset`, 'reset the sandbox');
  }

  private async request<T>(
    method: 'GET' | 'PUT' | 'DELETE' | 'POST',
    path: string,
    what: string,
    body?: Record<string, unknown>,
  ): Promise<T> {
    if (this.target.kind !== 'sandbox')
      throw new GuardrailError(
        `refusing to ${what} on ${this.target.host}: faults are injected only into the embedded sandbox ` +
          '(run the sandbox-only runbooks with the default profile; nothing was sent)',
      );
    try {
      return await this.kapi.call<T>({ method, path, ...(body ? { body } : {}) });
    } catch (err) {
      if (err instanceof HttpError && err.status >= 400 && err.status < 500 && err.status !== 401)
        throw new FaultRequestError(`cannot ${what}: ${err.serverMessage}`, err);
      throw err;
    }
  }
}
