import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../core/logger.js';
import { secretFieldNames } from '../config-schema.js';
import {
  CAPABILITY_METHODS,
  type AnyConnectorInstance,
  type CapabilityName,
  type ConnectorContext,
  type RegisteredConnector,
  type SourceDepartment,
  type TargetAccount,
} from '../contract.js';
import { ConnectorError } from '../errors.js';
import type { ConformanceHarness, ConformanceTarget } from './harness.js';
import { readAll } from './read-all.js';
import { pageShape, sourceDepartmentShape, sourcePersonShape, targetAccountShape } from './shapes.js';

export interface DescribeConformanceOptions<Config> {
  definition: RegisteredConnector;
  harness: ConformanceHarness<Config>;
  /** Whether the target injects faults (simulators do; real peers such as slapd do not). Default true. */
  injectsFaults?: boolean;
  seed?: number;
}

const SLOW = 120_000;

/**
 * The suite every connector runs against its simulator (issue 3): check() with good and bad credentials, paged
 * reads across several pages, resuming from a cursor in a fresh instance, a 429 and a 5xx burst survived
 * mid-read, incremental reads, create → update → disable → delete with attributes read back as written,
 * idempotent creates, and department / group / employee-record writes. Only declared capabilities are tested,
 * and the suite checks that a definition declares exactly what its instance implements.
 */
export function describeConformance<Config>(options: DescribeConformanceOptions<Config>): void {
  const { definition, harness } = options;
  const has = (capability: CapabilityName): boolean => definition.capabilities.includes(capability);
  const people = harness.people ?? 1200;
  const pageSize = harness.pageSize ?? Math.max(1, Math.ceil(people / 4));
  const log = createLogger({
    level: process.env.LOG_LEVEL ?? 'silent',
    name: `conformance:${definition.id}`,
  });
  const opened: AnyConnectorInstance[] = [];
  let target: ConformanceTarget<Config>;

  /** A fresh instance, as a new activity (or another worker) would create from the stored config. */
  const open = (config: Config = target.config): AnyConnectorInstance => {
    const parsed: unknown = definition.configSchema.parse(config);
    // The config was parsed by the definition's own schema: this is the type erasure of the registry.
    const ctx = {
      connectionId: `conformance-${definition.id}`,
      config: parsed,
      log,
    } as ConnectorContext<never>;
    const instance = definition.create(ctx);
    opened.push(instance);
    return instance;
  };
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${definition.id} conformance harness must provide ${what}`);
    return value;
  };

  describe(`${definition.id} connector conformance`, () => {
    beforeAll(async () => {
      target = await harness.start({ people, seed: options.seed ?? 20_240_601 });
    }, SLOW);

    afterEach(async () => {
      target.faults?.reset();
      await Promise.all(opened.splice(0).map((instance) => instance.close?.()));
    });

    afterAll(async () => {
      await target?.stop();
    }, SLOW);

    it('declares exactly the capabilities its instance implements', () => {
      const instance = open() as unknown as Record<string, unknown>;
      for (const [capability, methods] of Object.entries(CAPABILITY_METHODS)) {
        for (const method of methods) {
          const declared = definition.capabilities.includes(capability as CapabilityName);
          expect({ method, present: typeof instance[method] === 'function' }).toEqual({
            method,
            present: declared,
          });
        }
      }
      expect(definition.capabilities).toContain('check');
      if (has('writeAccounts')) expect(definition.capabilities).toContain('listAccounts');
      expect(definition.rateLimit.requestsPerSecond).toBeGreaterThan(0);
    });

    it('marks its credentials secret and rejects an empty config with the missing fields named', () => {
      expect(secretFieldNames(definition.configSchema).length).toBeGreaterThan(0);
      const parsed = definition.configSchema.safeParse({});
      expect(parsed.success).toBe(false);
      expect(definition.configSchema.safeParse(target.config).success).toBe(true);
    });

    it('check() passes with good credentials and says what it verified', async () => {
      const report = await open().check();
      expect(report.ok).toBe(true);
      expect(report.message.length).toBeGreaterThan(0);
    });

    it('check() fails with bad credentials: auth_failed, not retryable, with a message', async () => {
      const error = await open(target.badCredentials())
        .check()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ConnectorError);
      const failure = error as ConnectorError;
      expect(failure.connectorCode).toBe('auth_failed');
      expect(failure.retryable).toBe(false);
      expect(failure.publicMessage.length).toBeGreaterThan(10);
    });

    if (has('readPeople')) {
      const readPeople = (instance: AnyConnectorInstance) =>
        need(instance.readPeople, 'readPeople').bind(instance);

      it(
        'reads every person across several pages, each a valid SourcePerson',
        async () => {
          const result = await readAll(
            readPeople(open()),
            { pageSize },
            {
              afterPage: (page) => expect(pageShape.safeParse(page).success).toBe(true),
            },
          );
          expect(result.pages).toBeGreaterThanOrEqual(3);
          const ids = result.items.map((p) => p.externalId);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids.length).toBe(need(target.counts().people, 'counts().people'));
          for (const person of result.items) expectShape(sourcePersonShape, person);
          const known = new Set(ids);
          const dangling = result.items.filter((p) => p.managerExternalId && !known.has(p.managerExternalId));
          expect(dangling.map((p) => p.externalId)).toEqual([]);
        },
        SLOW,
      );

      it(
        'resumes a read from a cursor in a fresh instance without losing or repeating anyone',
        async () => {
          const first = await readAll(readPeople(open()), { pageSize }, { maxPages: 2 });
          expect(first.nextCursor).not.toBeNull();
          const rest = await readAll(readPeople(open()), { pageSize, cursor: first.nextCursor });
          const ids = [...first.items, ...rest.items].map((p) => p.externalId);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids.length).toBe(target.counts().people);
        },
        SLOW,
      );

      (options.injectsFaults === false ? it.skip : it)(
        'survives a 429 and a burst of 5xx in the middle of a read',
        async () => {
          const faults = need(target.faults, 'faults');
          const before = { ...faults.stats };
          const result = await readAll(
            readPeople(open()),
            { pageSize },
            {
              afterPage: (_page, index) => {
                if (index === 1) faults.set({ next429: 1, burst5xx: 2, retryAfterSeconds: 1 });
              },
            },
          );
          expect(faults.stats.injected429 - before.injected429).toBeGreaterThanOrEqual(1);
          expect(faults.stats.injected5xx - before.injected5xx).toBeGreaterThanOrEqual(2);
          expect(new Set(result.items.map((p) => p.externalId)).size).toBe(target.counts().people);
        },
        SLOW,
      );

      it(
        'reads incrementally what changed since the watermark of an earlier read',
        async () => {
          const instance = open();
          const first = await readPeople(instance)({ cursor: null, pageSize });
          if (!target.changePerson) {
            // No incremental support: then the connector must not hand out watermarks either.
            expect(first.watermark).toBeUndefined();
            return;
          }
          expect(first.watermark).toEqual(expect.any(String));
          const changedId = await target.changePerson();
          const changed = await readAll(readPeople(open()), {
            pageSize,
            changedSince: first.watermark ?? null,
          });
          const ids = changed.items.map((p) => p.externalId);
          expect(ids).toContain(changedId);
          expect(ids.length).toBeLessThan(need(target.counts().people, 'counts().people'));
          for (const person of changed.items) expectShape(sourcePersonShape, person);
        },
        SLOW,
      );
    }

    if (has('readDepartments')) {
      it(
        'reads every department, with parents that are departments too',
        async () => {
          const instance = open();
          const result = await readAll<SourceDepartment>(
            need(instance.readDepartments, 'readDepartments').bind(instance),
            { pageSize },
          );
          for (const department of result.items) expectShape(sourceDepartmentShape, department);
          const ids = new Set(result.items.map((d) => d.externalId));
          expect(ids.size).toBe(result.items.length);
          expect(ids.size).toBe(need(target.counts().departments, 'counts().departments'));
          const orphans = result.items.filter((d) => d.parentExternalId && !ids.has(d.parentExternalId));
          expect(orphans).toEqual([]);
        },
        SLOW,
      );
    }

    if (has('listAccounts')) {
      it(
        'lists accounts page by page',
        async () => {
          const instance = open();
          const result = await readAll<TargetAccount>(
            need(instance.listAccounts, 'listAccounts').bind(instance),
            { pageSize },
          );
          for (const account of result.items) expectShape(targetAccountShape, account);
          const expected = target.counts().accounts;
          if (expected !== undefined) expect(result.items.length).toBe(expected);
        },
        SLOW,
      );
    }

    if (has('writeAccounts')) {
      it(
        'creates, updates, disables and deletes an account; what it writes reads back the same',
        async () => {
          const instance = open();
          const input = need(target.accountInput, 'accountInput')(1);
          const created = await need(instance.createAccount, 'createAccount').bind(instance)(input);
          expectShape(targetAccountShape, created);
          expect(created.active).toBe(true);

          const findAccount = need(instance.findAccount, 'findAccount').bind(instance);
          const found = await findAccount(input);
          expect(found?.externalId).toBe(created.externalId);
          expectRoundTrip(found, input.attributes, input.email);

          const changed = target.changedAccountInput?.(input) ?? {
            ...input,
            displayName: `${input.displayName} (changed)`,
            email: input.email ? `changed.${input.email}` : input.email,
          };
          await need(instance.updateAccount, 'updateAccount').bind(instance)(created.externalId, changed);
          const afterUpdate = await findAccount(changed);
          expect(afterUpdate?.externalId).toBe(created.externalId);
          expectRoundTrip(afterUpdate, changed.attributes, changed.email);

          await need(instance.disableAccount, 'disableAccount').bind(instance)(created.externalId);
          expect((await findAccount(changed))?.active).toBe(false);

          await need(instance.deleteAccount, 'deleteAccount').bind(instance)(created.externalId);
          expect(await findAccount(changed)).toBeNull();
        },
        SLOW,
      );

      it(
        'creating the same account twice yields one account',
        async () => {
          const instance = open();
          const input = need(target.accountInput, 'accountInput')(2);
          const createAccount = need(instance.createAccount, 'createAccount').bind(instance);
          const first = await createAccount(input);
          const second = await createAccount(input);
          expect(second.externalId).toBe(first.externalId);
          const all = await readAll<TargetAccount>(
            need(instance.listAccounts, 'listAccounts').bind(instance),
            { pageSize },
          );
          expect(all.items.filter((a) => a.externalId === first.externalId)).toHaveLength(1);
          if (first.userName) {
            expect(all.items.filter((a) => a.userName === first.userName)).toHaveLength(1);
          }
          await need(instance.deleteAccount, 'deleteAccount').bind(instance)(first.externalId);
        },
        SLOW,
      );
    }

    if (has('writeDepartments')) {
      it(
        'creates, renames, moves and deletes a department, idempotently',
        async () => {
          const instance = open();
          const input = need(target.departmentInput, 'departmentInput');
          const upsert = need(instance.upsertDepartment, 'upsertDepartment').bind(instance);
          const a = await upsert(input(1, null));
          expect((await upsert(input(1, null))).externalId).toBe(a.externalId);
          const b = await upsert(input(2, null));
          const childInput = input(3, a.externalId);
          const child = await upsert(childInput);
          // As the engine calls it: with the id recorded from the create (DepartmentInput.externalId).
          const moved = await upsert({
            ...childInput,
            name: `${childInput.name} renamed`,
            parentExternalId: b.externalId,
            externalId: child.externalId,
          });
          expect(moved.externalId).toBe(child.externalId);
          if (instance.readDepartments) {
            const all = await readAll(instance.readDepartments.bind(instance), { pageSize });
            const read = all.items.find((d) => d.externalId === child.externalId);
            expect(read?.parentExternalId).toBe(b.externalId);
            expect(read?.name).toBe(`${childInput.name} renamed`);
          }
          const remove = need(instance.deleteDepartment, 'deleteDepartment').bind(instance);
          await remove(child.externalId);
          await remove(b.externalId);
          await remove(a.externalId);
          if (instance.readDepartments) {
            const all = await readAll(instance.readDepartments.bind(instance), { pageSize });
            const left = all.items.filter((d) => [a, b, child].some((x) => x.externalId === d.externalId));
            expect(left).toEqual([]);
          }
        },
        SLOW,
      );
    }

    if (has('writeGroupMembers')) {
      it(
        'sets a group to exactly the given members',
        async () => {
          const instance = open();
          const createAccount = need(instance.createAccount, 'createAccount').bind(instance);
          const accountInput = need(target.accountInput, 'accountInput');
          const one = await createAccount(accountInput(11));
          const two = await createAccount(accountInput(12));
          const set = need(instance.setGroupMembers, 'setGroupMembers').bind(instance);
          const group = await set('junction-conformance', [one.externalId, two.externalId]);
          expect((await set('junction-conformance', [two.externalId])).groupExternalId).toBe(
            group.groupExternalId,
          );
          if (instance.listGroups) {
            const groups = await readAll(instance.listGroups.bind(instance), { pageSize });
            const read = groups.items.find((g) => g.externalId === group.groupExternalId);
            expect(read?.memberExternalIds).toEqual([two.externalId]);
          }
        },
        SLOW,
      );
    }

    if (has('writeEmployeeRecords')) {
      it(
        'upserts an employee record idempotently',
        async () => {
          const instance = open();
          const input = need(target.employeeRecordInput, 'employeeRecordInput')(1);
          const upsert = need(instance.upsertEmployeeRecord, 'upsertEmployeeRecord').bind(instance);
          const first = await upsert(input);
          expect((await upsert(input)).externalId).toBe(first.externalId);
          expect((await upsert({ ...input, jobTitle: 'Changed Title' })).externalId).toBe(first.externalId);
        },
        SLOW,
      );
    }

    function expectRoundTrip(
      account: TargetAccount | null,
      attributes: Record<string, unknown>,
      email: string | null,
    ): void {
      expect(account).not.toBeNull();
      for (const name of target.roundTripAttributes ?? []) {
        expect({ [name]: account?.attributes[name] }).toEqual({ [name]: attributes[name] });
      }
      if (email && account?.email) expect(account.email.toLowerCase()).toBe(email.toLowerCase());
    }
  });
}

function expectShape(
  schema: { safeParse(value: unknown): { success: boolean; error?: unknown } },
  value: unknown,
) {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new Error(`not a valid record: ${String(parsed.error)}\n${JSON.stringify(value)}`);
}
