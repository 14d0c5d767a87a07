/**
 * The built-in environment `sandbox`: the embedded sandbox each worker starts for itself, with the
 * values the runbooks' ${VAR}s take on its fixture. The default when no environment is named.
 */
import { DEFAULT_CREDENTIALS, type Environment } from './file';

export const SANDBOX_ENVIRONMENT = 'sandbox';

/** The fixture's names (src/sandbox/fixture.ts) the runbooks act on. */
export const SANDBOX_VARS: Readonly<Record<string, string>> = {
  NODEGROUP: 'edge-a',
  NODE: 'worker-3',
  OTHER_NODE: 'edge-node-2',
  NAMESPACE: 'monitoring',
  WORKSPACE: 'team-b',
  WORKSPACE_NAMESPACE: 'edge-apps',
};

export function sandboxEnvironment(): Environment {
  return {
    name: SANDBOX_ENVIRONMENT,
    kind: 'sandbox',
    description: 'the embedded sandbox (one per worker, started and stopped by the run)',
    vars: { ...SANDBOX_VARS },
    protected: false,
    credentials: { ...DEFAULT_CREDENTIALS },
  };
}
