import { describe, expect, it } from 'vitest';
import { ClipboardGuard } from '@core/clipboard-guard';
import { FakeClock } from '../support/fake-clock';
import { MemoryClipboard } from '../support/memory-clipboard';

function setup() {
  const clipboard = new MemoryClipboard();
  const clock = new FakeClock();
  let cleared = 0;
  const guard = new ClipboardGuard(clipboard, clock, () => cleared++);
  return { clipboard, clock, guard, cleared: () => cleared };
}

describe('clipboard guard', () => {
  it('clears the copied value after the delay, not before', async () => {
    const { clipboard, clock, guard, cleared } = setup();
    await guard.copy('squ_secret', 30_000);
    expect(clipboard.text).toBe('squ_secret');
    await clock.advance(29_999);
    expect(clipboard.text).toBe('squ_secret');
    await clock.advance(1);
    expect(clipboard.text).toBe('');
    expect(cleared()).toBe(1);
  });

  it('leaves alone what the user copied since', async () => {
    const { clipboard, clock, guard, cleared } = setup();
    await guard.copy('squ_secret', 30_000);
    clipboard.text = 'a line of my own code';
    await clock.advance(60_000);
    expect(clipboard.text).toBe('a line of my own code');
    expect(cleared()).toBe(0);
  });

  it('a second copy restarts the delay for the new value', async () => {
    const { clipboard, clock, guard } = setup();
    await guard.copy('first', 30_000);
    await clock.advance(20_000);
    await guard.copy('second', 30_000);
    await clock.advance(20_000);
    expect(clipboard.text).toBe('second');
    await clock.advance(10_000);
    expect(clipboard.text).toBe('');
  });

  it('a delay of 0 never clears', async () => {
    const { clipboard, clock, guard } = setup();
    await guard.copy('kept', 0);
    await clock.advance(86_400_000);
    expect(clipboard.text).toBe('kept');
  });

  it('flush (on quit) clears a pending value at once, and only once', async () => {
    const { clipboard, clock, guard, cleared } = setup();
    await guard.copy('squ_secret', 30_000);
    await guard.flush();
    expect(clipboard.text).toBe('');
    clipboard.text = 'later';
    await clock.advance(60_000);
    expect(clipboard.text).toBe('later');
    expect(cleared()).toBe(1);
  });
});
