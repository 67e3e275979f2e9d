import type { CheckReport } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import type { Directory } from './directory.js';

// RFC 2696: the Simple Paged Results control every paged read relies on.
const PAGED_RESULTS_OID = '1.2.840.113556.1.4.319';

/**
 * Test connection: bind (credentials), read the root DSE (what the server is, which controls it offers), and
 * read the base DN, usersOu and groupsOu (they exist and the bind account may read them). Write access cannot be
 * proven without writing; a missing write grant shows as permission_denied on the first write.
 */
export async function check(dir: Directory): Promise<CheckReport> {
  const s = dir.settings;
  // RFC 4512 §5.1: the root DSE, read with a base search on the empty DN.
  const root = await dir.read('', [
    'supportedControl',
    'vendorName',
    'vendorVersion',
    'supportedLDAPVersion',
    'namingContexts',
    'dnsHostName',
  ]);
  const controls = root?.all('supportedControl') ?? [];
  if (root && controls.length > 0 && !controls.includes(PAGED_RESULTS_OID)) {
    throw new ConnectorError('vendor_error', {
      message: `the directory at ${s.config.url} does not offer the Simple Paged Results control (RFC 2696, ${PAGED_RESULTS_OID}), which Junction needs to read it page by page`,
    });
  }
  const missing: string[] = [];
  for (const [name, dn] of [
    ['baseDn', s.baseDn],
    ['usersOu', s.usersDn],
    ['groupsOu', s.groupsDn],
  ] as const) {
    const entry = await dir.read(dn, ['1.1'], `read ${name} ${dn}`);
    if (!entry) missing.push(`${name} ${dn}`);
  }
  if (missing.length > 0) {
    throw new ConnectorError('invalid_config', {
      message: `bound as ${s.config.bindDn}, but ${missing.join(' and ')} ${missing.length > 1 ? 'do' : 'does'} not exist or cannot be read by that account`,
    });
  }
  const vendor = [root?.first('vendorName'), root?.first('vendorVersion')].filter(Boolean).join(' ');
  const kind = s.flavour === 'ad' ? 'Active Directory' : 'LDAP';
  return {
    ok: true,
    message: `bound to ${kind} at ${s.config.url} as ${s.config.bindDn}${(await dir.isEncrypted()) ? ' over TLS' : ''}; ${s.baseDn}, ${s.usersDn} and ${s.groupsDn} are readable`,
    details: {
      vendor: vendor || null,
      pagedResults: controls.length === 0 ? 'unknown' : true,
      namingContexts: root?.all('namingContexts') ?? [],
      flavour: s.flavour,
      uuidAttribute: s.uuidAttribute,
      disableStrategy: s.disableStrategy,
    },
  };
}
