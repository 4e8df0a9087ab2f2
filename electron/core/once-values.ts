/**
 * Values shown once ("copy it now"), held in memory for as long as their panel may show them, so
 * that copying one goes through the core like any other copy (concealment markers, auto-clear),
 * even when the keychain refused it or it belongs to another user. The renderer gets a random
 * handle; the value is dropped when its time is up, and never written anywhere.
 */
import { randomBytes } from 'node:crypto';
import type { CallOutput } from '@contract';
import { VaultError } from './errors';
import type { Clock } from './ports';

/** A generate's or a rotation's answer before the core hands out its once handle. */
export type ShownOnce<K extends 'tokens.generate' | 'tokens.rotate'> = Omit<CallOutput<K>, 'onceId'>;

export class OnceValues {
  private readonly held = new Map<string, { value: string; timer: { cancel(): void } }>();

  constructor(private readonly clock: Clock) {}

  /** Keeps `value` for `ms`; answers the handle the renderer copies it by. */
  hold(value: string, ms: number): string {
    const onceId = randomBytes(24).toString('base64url');
    const timer = this.clock.setTimeout(() => this.held.delete(onceId), ms);
    this.held.set(onceId, { value, timer });
    return onceId;
  }

  /** The value, while it is held. */
  value(onceId: string): string {
    const held = this.held.get(onceId);
    if (!held) {
      throw new VaultError(
        'not-in-vault',
        'This value is no longer held: a value shown once is kept only while its panel may show it.',
      );
    }
    return held.value;
  }

  /** Drops every value at once (the window was hidden: no panel shows one any more). */
  clear(): void {
    for (const { timer } of this.held.values()) timer.cancel();
    this.held.clear();
  }
}
