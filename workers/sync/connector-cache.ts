import type { Connection } from '../../core/entities/index.js';
import type { Logger } from '../../core/logger.js';
import type { ConnectorOpener, OpenedConnector } from './connector-port.js';

/**
 * Keeps opened connectors per connection version inside one worker, so a run's hundreds of page activities reuse
 * one client (and its vendor access token) instead of authenticating per page. A config change bumps the
 * connection's version and so opens a fresh one.
 */
export class ConnectorCache {
  private readonly open = new Map<string, Promise<OpenedConnector>>();

  constructor(
    private readonly opener: ConnectorOpener,
    private readonly log: Logger,
    private readonly max = 32,
  ) {}

  get(connection: Connection): Promise<OpenedConnector> {
    const key = `${connection.id}:${connection.version}`;
    let entry = this.open.get(key);
    if (!entry) {
      entry = Promise.resolve(
        this.opener(connection, { log: this.log.child({ connectionId: connection.id }) }),
      );
      entry.catch(() => this.open.delete(key));
      this.open.set(key, entry);
      if (this.open.size > this.max) {
        const [oldest] = this.open.keys();
        if (oldest) void this.evict(oldest);
      }
    }
    return entry;
  }

  private async evict(key: string): Promise<void> {
    const entry = this.open.get(key);
    this.open.delete(key);
    try {
      await (await entry)?.close?.();
    } catch {
      // closing an idle client is best effort
    }
  }
}
