import { createLogger } from '../../core/logger.js';
import { wecomConfigSchema, wecomConnector } from './index.js';
import { startWeComSimulator } from './simulator-start.js';

/** What `junction simulate wecom` prints is a connection config the connector accepts and can use. */
describe('junction simulate wecom', () => {
  it('starts a seeded corp and hands out a working connection config', async () => {
    const running = await startWeComSimulator({ people: 1000, seed: 5 });
    try {
      expect(running.notes.join('\n')).toMatch(/1,000 members/);
      const instance = wecomConnector.create({
        connectionId: 'wecom-simulate',
        log: createLogger({ level: 'silent' }),
        config: wecomConfigSchema.parse(running.connectionConfig),
      });
      const report = await instance.check();
      expect(report.ok).toBe(true);
      const page = await instance.listAccounts!({ cursor: null, pageSize: 50 });
      expect(page.items).toHaveLength(50);
      expect(page.nextCursor).not.toBeNull();
    } finally {
      await running.stop();
    }
  });
});
