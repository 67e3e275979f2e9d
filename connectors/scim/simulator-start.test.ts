import { createLogger } from '../../core/logger.js';
import { scimConfigSchema } from './config.js';
import { scimConnector } from './index.js';
import { startScimSimulator } from './simulator-start.js';

it('starts the standalone simulator with a connection config the connector accepts', async () => {
  const running = await startScimSimulator({ people: 50, seed: 1 });
  try {
    const instance = scimConnector.create({
      connectionId: 'simulate-scim',
      config: scimConfigSchema.parse(running.connectionConfig),
      log: createLogger({ level: 'silent' }),
    });
    const report = await instance.check();
    expect(report.details).toMatchObject({ users: 50 });
    expect(running.notes.join('\n')).toMatch(/50 users in \d+ groups/);
    const faults = await fetch(`${running.url}/_sim/faults`);
    expect(await faults.json()).toMatchObject({ settings: { rate429: 0 } });
    const groups = await instance.listGroups({ cursor: null });
    expect(groups.items.flatMap((group) => group.memberExternalIds ?? [])).toHaveLength(50);
  } finally {
    await running.stop();
  }
});
