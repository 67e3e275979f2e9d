import { Control } from 'ldapts';
import type { CheckReport } from '../kit/contract.js';
import { ConnectorError, isConnectorError } from '../kit/errors.js';
import { SHOW_DELETED_OID } from './deletions.js';
import type { Directory } from './directory.js';

// RFC 2696: the Simple Paged Results control every paged read relies on.
const PAGED_RESULTS_OID = '1.2.840.113556.1.4.319';

/**
 * Test connection: bind (credentials), read the root DSE (what the server is, which controls it offers), read the
 * base DN, usersOu and groupsOu (they exist and the bind account may read them), and the place deletions are read
 * from, if any. Write access cannot be
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
  const deletions = await deletionSource(dir);
  const vendor = [root?.first('vendorName'), root?.first('vendorVersion')].filter(Boolean).join(' ');
  const kind = s.flavour === 'ad' ? 'Active Directory' : 'LDAP';
  return {
    ok: true,
    message: `bound to ${kind} at ${s.config.url} as ${s.config.bindDn}${(await dir.isEncrypted()) ? ' over TLS' : ''}; ${s.baseDn}, ${s.usersDn} and ${s.groupsDn} are readable; ${deletions.sentence}`,
    details: {
      vendor: vendor || null,
      pagedResults: controls.length === 0 ? 'unknown' : true,
      namingContexts: root?.all('namingContexts') ?? [],
      flavour: s.flavour,
      uuidAttribute: s.uuidAttribute,
      disableStrategy: s.disableStrategy,
      incrementalDeletions: deletions.kind,
    },
  };
}

/**
 * Whether incremental reads will see deleted people (deletions.ts): an access log the admin configured must be
 * readable (a failure); AD's Deleted Objects, read by default, may not be (a warning in the report).
 */
async function deletionSource(dir: Directory): Promise<{
  kind: 'deleted_objects' | 'deleted_objects_unreadable' | 'accesslog' | 'full_read_only';
  sentence: string;
}> {
  const s = dir.settings;
  const source = s.deletions;
  if (!source) {
    return {
      kind: 'full_read_only',
      sentence:
        'incremental reads do not see people deleted in the directory (no accesslogDn): the scheduled full read finds them',
    };
  }
  if (source.kind === 'accesslog') {
    if (!(await dir.read(source.dn, ['1.1'], `read accesslogDn ${source.dn}`))) {
      throw new ConnectorError('invalid_config', {
        message: `accesslogDn ${source.dn} does not exist or cannot be read by ${s.config.bindDn}; grant it read access to the slapo-accesslog database, or remove accesslogDn`,
      });
    }
    return { kind: 'accesslog', sentence: `deletions are read from the access log ${source.dn}` };
  }
  const readable = await dir
    .run(`read ${source.dn}`, async (client) => {
      const result = await client.search(
        source.dn,
        { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] },
        new Control(SHOW_DELETED_OID, { critical: false }),
      );
      return result.searchEntries.length > 0;
    })
    .catch((error: unknown) => {
      const denied = isConnectorError(error) && error.connectorCode === 'permission_denied';
      if (dir.isNoSuchObject(error) || denied) return false;
      throw error;
    });
  return readable
    ? { kind: 'deleted_objects', sentence: `deletions are read from ${source.dn}` }
    : {
        kind: 'deleted_objects_unreadable',
        sentence: `${source.dn} cannot be read by this account, so incremental reads do not see deleted people (the scheduled full read does); grant it List Contents and Read Property there (dsacls … /G <account>:LCRP)`,
      };
}
