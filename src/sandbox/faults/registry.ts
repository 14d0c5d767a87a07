/**
 * The fault registry: which faults are on, with their options. The router asks it before a
 * ks-apiserver route runs (`intercept`), the controller asks it before each step (`blocks`), and
 * operator actions are offered to it (`observe`). Fault behaviour lives in the fault modules.
 */
import type { RequestContext } from '../http/http';
import { StatusError } from '../store/status';
import type { ActiveFault, AnyFaultModule, ClusterAction, ControllerStep, FaultEnv } from './fault';
import { FAULT_MODULES } from './modules';
import { parseOptions } from './schema';

export type { ActiveFault } from './fault';

const CONTROL_PREFIX = '/sandbox/v1/';

export class Faults {
  private readonly active = new Map<string, ActiveFault>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly env: FaultEnv = {},
    /** The modules (read at call time, so a test can add one). */
    readonly modules: AnyFaultModule[] = FAULT_MODULES,
  ) {}

  get names(): string[] {
    return this.modules.map((m) => m.name);
  }

  private module(name: string): AnyFaultModule {
    const found = this.modules.find((m) => m.name === name);
    if (!found)
      throw new StatusError('NotFound', `unknown fault "${name}": the faults are ${this.names.join(', ')}`);
    return found;
  }

  /** Does an active fault stop this controller step? */
  blocks(step: ControllerStep): boolean {
    return [...this.active.values()].some((f) => this.module(f.name).blocks?.(f.options, step) ?? false);
  }

  /** An operator action: faults it ends are switched off. */
  observe(action: ClusterAction): void {
    for (const f of [...this.active.values()])
      if (this.module(f.name).endedBy?.(f.options, action)) this.remove(f.name);
  }

  isOn(name: string): boolean {
    return this.active.has(name);
  }

  /** Called after every change of the fault set; returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): ActiveFault[] {
    return [...this.active.values()].map((f) => structuredClone(f));
  }

  /** Switch a fault on (or replace its options). Throws 404 for an unknown name, 400 for bad options. */
  set(name: string, body: unknown): ActiveFault {
    const module = this.module(name);
    const options = parseOptions(name, module.options, body);
    const fault: ActiveFault = { name, options, since: new Date().toISOString() };
    module.start?.(fault);
    module.onSet?.(this.env, options);
    this.active.set(name, fault);
    this.changed();
    return structuredClone(fault);
  }

  /** Switch a fault off; false when it was not on. */
  remove(name: string): boolean {
    const module = this.module(name);
    const fault = this.active.get(name);
    if (!fault) return false;
    this.active.delete(name);
    module.onClear?.(this.env, fault.options);
    this.changed();
    return true;
  }

  /** Every fault off (reset). */
  clear(): void {
    for (const name of [...this.active.keys()]) this.remove(name);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Before a ks-apiserver route runs: true when a fault answered the request. */
  async intercept(ctx: RequestContext): Promise<boolean> {
    if (ctx.path.startsWith(CONTROL_PREFIX)) return false; // the control API must stay reachable
    for (const module of this.modules) {
      const fault = this.active.get(module.name);
      if (!fault || !module.intercept) continue;
      const result = await module.intercept(fault, ctx, () => this.remove(module.name));
      if (result === 'answered') return true;
    }
    return false;
  }
}
