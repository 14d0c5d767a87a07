/** stuck-finalizer: the controller never removes the finalizer of one group (its delete hangs). */
import { defineFault } from './fault';
import { text } from './schema';

export const stuckFinalizer = defineFault<{ nodegroup: string }>({
  name: 'stuck-finalizer',
  summary: "one group's finalizer is never removed: its delete hangs",
  options: { nodegroup: text('the name of the group whose finalizer sticks') },
  blocks: (options, step) => step.step === 'remove-finalizer' && step.nodegroup === options.nodegroup,
});
