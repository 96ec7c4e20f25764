import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../../ports/store.js';

/**
 * A fresh SQLite store in a temporary directory. The opener is passed in (tests
 * import `openSqlStore` from '@waggle/store', which the core package must not
 * depend on); `close` also removes the directory.
 */
export async function openTestStore(open: (options: { url: string }) => Promise<Store>): Promise<{ store: Store; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'waggle-admin-'));
  const store = await open({ url: join(dir, 'store.sqlite') });
  return {
    store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
