/**
 * An EMULATION of the parts of the Active Directory schema a provisioning connector touches, loaded into slapd
 * for the `ad` flavour. It is not Active Directory: it lets the connector's AD code paths (sAMAccountName,
 * userPrincipalName, userAccountControl bits, `user` / `group` classes, memberOf, employeeID, whenChanged) run
 * against a real LDAP server in tests and in `junction simulate ldap --flavour ad`.
 *
 * OIDs and names are Microsoft's (MS-ADA1..3, "Active Directory Schema Attributes"), so filters and entries look
 * as they do against a domain controller. Where slapd cannot behave like AD, the difference is deliberate and
 * listed here:
 * - objectGUID is declared (binary, 16 bytes) but slapd does not mint it; seeded entries carry one, entries the
 *   connector adds do not. Run the connector with `uuidAttribute: entryUUID` against the emulation.
 * - whenChanged / whenCreated are served by the rwm overlay as aliases of modifyTimestamp / createTimestamp.
 * - memberOf comes from the memberof overlay (same OID as AD's), and refint keeps `member` consistent on
 *   delete and rename, as AD's linked attributes do.
 * - `user` derives from organizationalPerson, so `sn` is required here (AD does not require it).
 * - AD's attribute syntaxes (e.g. Object(DS-DN), Large Integer) are mapped to the nearest standard syntax, and
 *   system-only attributes are user-modifiable (slapd refuses NO-USER-MODIFICATION in user schema).
 * - No SAM rules: sAMAccountName length (20) and character rules are enforced by the connector, not the server.
 * - Deletion: a domain controller turns a deleted object into a tombstone (isDeleted TRUE, lastKnownParent, most
 *   attributes and all links stripped, renamed `CN=<name>\0ADEL:<objectGUID>` into CN=Deleted Objects) and shows
 *   it only to searches with the Show Deleted control (1.2.840.113556.1.4.417). slapd deletes for real and knows
 *   no such control (sent non-critical, it is ignored); `tombstone()` in ad-tombstone.ts does what the DC does,
 *   and tombstones stay visible to every search, so account filters exclude `isDeleted=TRUE` (as AD needs not).
 */

const DIRECTORY_STRING = '1.3.6.1.4.1.1466.115.121.1.15';
const INTEGER = '1.3.6.1.4.1.1466.115.121.1.27';
const OCTET_STRING = '1.3.6.1.4.1.1466.115.121.1.40';
const GENERALIZED_TIME = '1.3.6.1.4.1.1466.115.121.1.24';
const BOOLEAN = '1.3.6.1.4.1.1466.115.121.1.7';
const DN = '1.3.6.1.4.1.1466.115.121.1.12';

const string = (oid: string, name: string, single = true): string =>
  `( ${oid} NAME '${name}' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX ${DIRECTORY_STRING}${single ? ' SINGLE-VALUE' : ''} )`;
const integer = (oid: string, name: string): string =>
  `( ${oid} NAME '${name}' EQUALITY integerMatch ORDERING integerOrderingMatch SYNTAX ${INTEGER} SINGLE-VALUE )`;
const octets = (oid: string, name: string): string =>
  `( ${oid} NAME '${name}' EQUALITY octetStringMatch SYNTAX ${OCTET_STRING} SINGLE-VALUE )`;
const time = (oid: string, name: string): string =>
  `( ${oid} NAME '${name}' EQUALITY generalizedTimeMatch ORDERING generalizedTimeOrderingMatch SYNTAX ${GENERALIZED_TIME} SINGLE-VALUE )`;

const ATTRIBUTES = [
  string('1.2.840.113556.1.4.221', 'sAMAccountName'),
  string('1.2.840.113556.1.4.656', 'userPrincipalName'),
  integer('1.2.840.113556.1.4.8', 'userAccountControl'),
  string('1.2.840.113556.1.4.35', 'employeeID'),
  octets('1.2.840.113556.1.4.2', 'objectGUID'),
  octets('1.2.840.113556.1.4.146', 'objectSid'),
  octets('1.2.840.113556.1.4.90', 'unicodePwd'),
  string('1.2.840.113556.1.2.141', 'department'),
  string('1.2.840.113556.1.2.146', 'company'),
  string('1.2.840.113556.1.4.261', 'division'),
  integer('1.2.840.113556.1.4.750', 'groupType'),
  integer('1.2.840.113556.1.4.159', 'accountExpires'),
  time('1.2.840.113556.1.2.3', 'whenChanged'),
  time('1.2.840.113556.1.2.2', 'whenCreated'),
  `( 1.2.840.113556.1.2.48 NAME 'isDeleted' EQUALITY booleanMatch SYNTAX ${BOOLEAN} SINGLE-VALUE )`,
  `( 1.2.840.113556.1.4.781 NAME 'lastKnownParent' EQUALITY distinguishedNameMatch SYNTAX ${DN} SINGLE-VALUE )`,
];

const USER_MAY = [
  'sAMAccountName',
  'userPrincipalName',
  'userAccountControl',
  'employeeID',
  'employeeNumber',
  'employeeType',
  'objectGUID',
  'objectSid',
  'unicodePwd',
  'displayName',
  'givenName',
  'initials',
  'mail',
  'mobile',
  'manager',
  'title',
  'department',
  'company',
  'division',
  'departmentNumber',
  'accountExpires',
  'whenChanged',
  'whenCreated',
  'homePhone',
  'l',
  'isDeleted',
  'lastKnownParent',
];

const GROUP_MAY = [
  'member',
  'sAMAccountName',
  'description',
  'displayName',
  'mail',
  'objectGUID',
  'objectSid',
  'managedBy',
  'whenChanged',
  'whenCreated',
];

// AD's object class OIDs: user 1.2.840.113556.1.5.9, group 1.2.840.113556.1.5.8.
const EXTRA_ATTRIBUTES = [
  `( 1.2.840.113556.1.4.653 NAME 'managedBy' EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 SINGLE-VALUE )`,
  string('1.2.840.113556.1.4.619', 'dNSHostName'),
];

/** The emulation schema as a cn=config schema entry (olcSchemaConfig). */
export function adEmulationSchemaLdif(): string {
  const lines = [
    'dn: cn=ad-emulation,cn=schema,cn=config',
    'objectClass: olcSchemaConfig',
    'cn: ad-emulation',
    ...[...ATTRIBUTES, ...EXTRA_ATTRIBUTES].map((a) => `olcAttributeTypes: ${a}`),
    `olcObjectClasses: ( 1.2.840.113556.1.5.9 NAME 'user' SUP organizationalPerson STRUCTURAL MAY ( ${USER_MAY.join(' $ ')} ) )`,
    // computer derives from user in AD; it exists here so that "users, not computers" filters evaluate.
    `olcObjectClasses: ( 1.2.840.113556.1.3.30 NAME 'computer' SUP user STRUCTURAL MAY ( dNSHostName ) )`,
    // The class of CN=Deleted Objects (and of CN=Users in a real domain).
    `olcObjectClasses: ( 1.2.840.113556.1.3.23 NAME 'container' SUP top STRUCTURAL MUST cn MAY ( description $ isDeleted ) )`,
    `olcObjectClasses: ( 1.2.840.113556.1.5.8 NAME 'group' SUP top STRUCTURAL MUST ( cn $ groupType ) MAY ( ${GROUP_MAY.join(' $ ')} ) )`,
  ];
  return `${lines.join('\n')}\n`;
}
