/** ippool-sync: IPPool updates fail: pools and namespace IPPool annotations stay as they were. */
import { defineFault } from './fault';

export const ippoolSync = defineFault<Record<string, never>>({
  name: 'ippool-sync',
  summary: 'IPPool updates fail (IPPoolSynced False); namespace IPPool annotations stay as they were',
  options: {},
  blocks: (_options, step) => step.step === 'sync-ippool',
});
