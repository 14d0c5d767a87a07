/** The nodegroup controller's Events: the sandbox's one event writer, as its component. */
import { CONTROLLER_COMPONENT } from '../../constants';
import { type EventType, EventWriter } from '../store/event-writer';
import type { KubeObject } from '../store/object';
import type { ObjectStore } from '../store/store';

export type { EventType } from '../store/event-writer';

export class EventRecorder {
  private readonly writer: EventWriter;

  constructor(store: ObjectStore) {
    this.writer = new EventWriter(store);
  }

  record(resource: string, obj: KubeObject, type: EventType, reason: string, message: string): void {
    this.writer.record(CONTROLLER_COMPONENT, resource, obj, type, reason, message);
  }
}
