import { z } from 'zod';
import { secret, secretFieldNames, splitSecrets } from './config-schema.js';

describe('secret config fields', () => {
  const schema = z.object({
    baseUrl: z.string().url(),
    apiKey: secret(z.string().min(1)),
    clientSecret: secret(z.string()).optional(),
    pageSize: z.number().default(100),
  });

  it('are found through optional wrappers', () => {
    expect(secretFieldNames(schema).sort()).toEqual(['apiKey', 'clientSecret']);
  });

  it('split from the plain config', () => {
    const parsed = schema.parse({ baseUrl: 'https://x.test', apiKey: 'k', clientSecret: 's' });
    expect(splitSecrets(schema, parsed)).toEqual({
      plain: { baseUrl: 'https://x.test', pageSize: 100 },
      secrets: { apiKey: 'k', clientSecret: 's' },
    });
  });

  it('are write-only in the JSON Schema the console renders', () => {
    const json = z.toJSONSchema(schema) as { properties: Record<string, { writeOnly?: boolean }> };
    expect(json.properties.apiKey?.writeOnly).toBe(true);
    expect(json.properties.baseUrl?.writeOnly).toBeUndefined();
  });
});
