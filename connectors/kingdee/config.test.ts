import { z } from 'zod';
import { secretFieldNames } from '../kit/config-schema.js';
import { kingdeeConfigSchema } from './config.js';

const base = {
  baseUrl: 'https://erp.example.com/k3cloud/',
  acctId: '64f1a2b3c4d5e6',
  username: 'junction.api',
};

describe('Kingdee connection config', () => {
  it('marks the password and the app secret secret, and renders as JSON Schema for the console', () => {
    expect(secretFieldNames(kingdeeConfigSchema).sort()).toEqual(['appSecret', 'password']);
    const json = z.toJSONSchema(kingdeeConfigSchema) as {
      properties: Record<string, { writeOnly?: boolean }>;
    };
    expect(json.properties.password?.writeOnly).toBe(true);
    expect(json.properties.appSecret?.writeOnly).toBe(true);
  });

  it('takes a password, or an app id with its secret, with defaults for the language and the app login', () => {
    expect(kingdeeConfigSchema.parse({ ...base, password: 'pw' })).toMatchObject({
      lcid: 2052,
      appLogin: 'signature',
    });
    expect(kingdeeConfigSchema.parse({ ...base, appId: 'a_b', appSecret: 's' }).appId).toBe('a_b');
  });

  it('names what is wrong', () => {
    const issues = (input: unknown) =>
      (kingdeeConfigSchema.safeParse(input).error?.issues ?? []).map(
        (i) => `${i.path.join('.')}: ${i.message}`,
      );
    expect(issues({ ...base })).toEqual(['password: give either password, or appId and appSecret']);
    expect(issues({ ...base, password: 'pw', appId: 'a', appSecret: 's' })).toEqual([
      'appId: give either password, or appId and appSecret, not both',
    ]);
    expect(issues({ ...base, appId: 'a' })).toEqual(['appSecret: appId and appSecret go together']);
    expect(issues({ ...base, password: 'pw', baseUrl: 'erp' })[0]).toMatch(/^baseUrl: baseUrl must be/);
    expect(issues({ ...base, password: 'pw', acctId: ' ' })[0]).toMatch(
      /^acctId: acctId is the data centre id/,
    );
  });
});
