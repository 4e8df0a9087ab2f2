/**
 * Runs `task` over `items`, at most `limit` at a time, in order. A task that throws stops the
 * others from starting new items (those already running finish), and the call rejects with it;
 * so does `stopped()` turning true, quietly: the items not started are simply left.
 */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
  stopped: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && !stopped() && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
