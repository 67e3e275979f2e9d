import { execFileSync } from 'node:child_process';
import { Attribute, Change, Client } from 'ldapts';
import { describeConformance } from '../kit/conformance/index.js';
import type { LdapConfig } from './config.js';
import { ldapConnector } from './index.js';
import { closeLiveSearches } from './paged-search.js';
import { startLdapSimulator, type LdapSimulator } from './simulator.js';
import type { DirectoryFlavour } from './slapd/slapd-config.js';

/** Counts entries straight from slapd (not through the connector, not through the fault proxy). */
function countEntries(sim: LdapSimulator, base: string, filter: string): number {
  const out = execFileSync(
    'ldapsearch',
    [
      '-x',
      '-H',
      sim.slapd.url,
      '-D',
      sim.slapd.adminDn,
      '-w',
      sim.slapd.adminPassword,
      '-b',
      base,
      '-LLL',
      '-E',
      'pr=1000/noprompt',
      filter,
      '1.1',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return out.split('\n').filter((line) => line.startsWith('dn:')).length;
}

for (const flavour of ['openldap', 'ad'] as const satisfies readonly DirectoryFlavour[]) {
  describe(`ldap (${flavour})`, () => {
    afterAll(() => closeLiveSearches());

    describeConformance<LdapConfig>({
      definition: ldapConnector,
      harness: {
        people: 1200,
        start: async ({ people, seed }) => {
          const sim = await startLdapSimulator({ people, seed, flavour });
          const userClass = flavour === 'ad' ? '(objectClass=user)' : '(objectClass=inetOrgPerson)';
          const usersDn = sim.slapd.usersDn;
          return {
            config: sim.connectionConfig,
            badCredentials: () => ({ ...sim.connectionConfig, bindPassword: 'not-the-password' }),
            faults: sim.faults,
            counts: () => ({
              people: countEntries(sim, usersDn, userClass),
              accounts: countEntries(sim, usersDn, userClass),
              departments: countEntries(sim, usersDn, '(objectClass=organizationalUnit)') - 1,
            }),
            changePerson: async () => {
              const client = new Client({ url: sim.slapd.url });
              try {
                await client.bind(sim.slapd.adminDn, sim.slapd.adminPassword);
                const { searchEntries } = await client.search(usersDn, {
                  filter: userClass,
                  sizeLimit: 1,
                  attributes: ['entryUUID'],
                });
                const [person] = searchEntries;
                if (!person) throw new Error('no person to change');
                await client.modify(
                  person.dn,
                  new Change({
                    operation: 'replace',
                    modification: new Attribute({ type: 'title', values: ['Changed by HR'] }),
                  }),
                );
                return String(person.entryUUID);
              } finally {
                await client.unbind();
              }
            },
            accountInput: (n) => ({
              correlationId: `CONF-${n}`,
              userName: `conf.user${n}`,
              email: `conf.user${n}@example.com`,
              displayName: `Conformance User ${n}`,
              active: true,
              attributes: {
                givenName: 'Conformance',
                sn: `User ${n}`,
                title: 'Tester',
                telephoneNumber: `+1 555 01${String(n).padStart(2, '0')}`,
              },
            }),
            changedAccountInput: (input) => ({
              ...input,
              displayName: `${input.displayName} (changed)`,
              email: `changed.${input.email ?? 'x@example.com'}`,
              attributes: { ...input.attributes, title: 'Lead Tester' },
            }),
            roundTripAttributes: ['givenName', 'sn', 'title', 'telephoneNumber'],
            departmentInput: (n, parentExternalId) => ({
              correlationId: `conformance-department-${n}`,
              name: `Conformance ${n}`,
              parentExternalId,
            }),
            stop: () => sim.stop(),
          };
        },
      },
    });
  });
}
