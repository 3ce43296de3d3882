/**
 * Test-only: one process's share of the concurrent-writers test. Appends `count` addresses to the
 * expectedAddresses of instance `<id>` through the settings store, one update each.
 *
 *   node --import tsx tests/support/settings-writer.ts <dataDir> <instanceId> <count>
 */
import { openSettingsStore } from '../../main/services/settings-store';

const [, , dataDir, id, count] = process.argv;
const store = openSettingsStore(dataDir!);
for (let i = 0; i < Number(count); i++) {
  store.update((draft) => {
    const instance = draft.instances.find((x) => x.id === id);
    if (!instance) throw new Error(`no instance ${id}`);
    instance.expectedAddresses.push(`10.0.${Math.floor(i / 250)}.${i % 250}`);
  });
}
