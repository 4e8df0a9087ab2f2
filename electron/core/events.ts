import type { EventName, EventPayload } from '@contract';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Core → renderer events. Each transport subscribes once and forwards to its windows. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
