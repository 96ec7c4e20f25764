/**
 * Runs `work` over `items` with at most `limit` in flight. `shouldStop` is
 * checked before each new item starts, so an outage stops new requests
 * while those already running finish.
 */
export async function mapConcurrent<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>, shouldStop: () => boolean = () => false): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !shouldStop()) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
