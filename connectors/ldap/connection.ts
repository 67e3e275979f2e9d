import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { Client } from 'ldapts';
import type { Logger } from '../../core/logger.js';
import type { LdapConfig } from './config.js';
import { toConnectorError } from './ldap-errors.js';

/**
 * One bound LDAP connection: connect (ldap:// or ldaps://), StartTLS when configured (RFC 4511 §4.14), simple
 * bind (RFC 4513 §5.1). It keeps the sockets it opened so an idle connection can be unref'd and never holds a
 * process open, and ref'd again while it works.
 */
export class LdapConnection {
  readonly client: Client;
  private readonly sockets: (Socket | TLSSocket)[] = [];
  private closed = false;

  private constructor(private readonly config: LdapConfig) {
    const tlsOptions: ConnectionOptions = this.tlsOptions();
    const track = <T extends Socket | TLSSocket>(socket: T): T => {
      // LDAP requests are small and pipelined (DN lookups run 16 at a time): send each at once, no Nagle delay.
      socket.setNoDelay(true);
      this.sockets.push(socket);
      return socket;
    };
    this.client = new Client({
      url: config.url,
      timeout: config.timeoutMs,
      connectTimeout: Math.min(config.timeoutMs, 15_000),
      // ldapts treats any tlsOptions as "connect with TLS"; pass them only for ldaps:// URLs.
      ...(config.url.toLowerCase().startsWith('ldaps:') ? { tlsOptions } : {}),
      createConnection: ((...args: Parameters<typeof netConnect>) =>
        track(netConnect(...args))) as typeof netConnect,
      createSecureConnection: ((...args: Parameters<typeof tlsConnect>) =>
        track(tlsConnect(...args))) as typeof tlsConnect,
    });
  }

  private tlsOptions(): ConnectionOptions {
    return this.config.caCertificate ? { ca: this.config.caCertificate } : {};
  }

  /** Connects and binds as the configured account; throws a ConnectorError that says what to fix. */
  static async open(config: LdapConfig, log?: Logger): Promise<LdapConnection> {
    const connection = new LdapConnection(config);
    try {
      if (config.startTls) {
        // The certificate must name the host we dialled (RFC 4513 §3.1.3); SNI only for DNS names (RFC 6066 §3).
        const host = new URL(config.url).hostname.replace(/^\[|\]$/g, '');
        await connection.client.startTLS({
          ...connection.tlsOptions(),
          host,
          ...(isIP(host) ? {} : { servername: host }),
        });
      }
      await connection.client.bind(config.bindDn, config.bindPassword);
    } catch (error) {
      await connection.close();
      const mapped = toConnectorError(error, { operation: `bind as ${config.bindDn}`, url: config.url });
      log?.debug({ err: mapped.toRecord() }, 'ldap bind failed');
      throw mapped;
    }
    return connection;
  }

  /** Usable: the socket is up and the bind on it stands (ldapts reconnects unbound on its own otherwise). */
  get usable(): boolean {
    return !this.closed && this.client.isBound;
  }

  /** While idle, our sockets do not keep the process alive. */
  park(): void {
    for (const socket of this.sockets) socket.unref();
  }

  unpark(): void {
    for (const socket of this.sockets) socket.ref();
  }

  get isEncrypted(): boolean {
    return this.config.url.toLowerCase().startsWith('ldaps:') || this.config.startTls;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.client.unbind();
    } catch {
      // Already gone: nothing to release.
    }
    for (const socket of this.sockets) socket.destroy();
  }
}
