import { describe, expect, it } from 'vitest';
import { FOCUS_QUIET_MS, REFRESH_EVERY_MS, Refresher } from '@core/tokens/refresher';
import { FakeClock } from '../support/fake-clock';

function setup() {
  const clock = new FakeClock();
  let calls = 0;
  let release: () => void = () => undefined;
  const refresher = new Refresher(clock, async () => {
    calls++;
    await new Promise<void>((resolve) => (release = resolve));
    return { refreshed: 1, failed: 0 };
  });
  return { clock, refresher, calls: () => calls, release: () => release() };
}

describe('refresher', () => {
  it('shares a running refresh instead of starting another', async () => {
    const { refresher, calls, release } = setup();
    const first = refresher.refresh('user');
    const second = refresher.refresh('user');
    expect(calls()).toBe(1);
    release();
    expect(await first).toEqual(await second);
  });

  it('refreshes every 5 minutes after the last one', async () => {
    const { clock, refresher, calls, release } = setup();
    const started = refresher.start();
    release();
    await started;
    await clock.advance(REFRESH_EVERY_MS - 1);
    expect(calls()).toBe(1);
    await clock.advance(1);
    expect(calls()).toBe(2);
    release();
  });

  it('skips a focus refresh right after another, not a user one', async () => {
    const { clock, refresher, calls, release } = setup();
    const started = refresher.refresh('user');
    release();
    await started;
    await refresher.refresh('focus');
    expect(calls()).toBe(1);
    await clock.advance(FOCUS_QUIET_MS);
    void refresher.refresh('focus');
    expect(calls()).toBe(2);
    release();
  });
});
