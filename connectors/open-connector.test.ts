import { randomBytes } from 'node:crypto';
import { createLogger } from '../core/logger.js';
import { Vault } from '../core/vault/vault.js';
import { ConnectorError } from './kit/errors.js';
import { openConnector, requireCapability, sealConnectionConfig } from './open-connector.js';
import { CONNECTORS } from './registry.js';

const vault = new Vault(randomBytes(32));
const log = createLogger({ level: 'silent' });
const definition = CONNECTORS.bamboohr;

describe('openConnector', () => {
  it('opens a sealed connection: secrets from the vault, config parsed by the definition', () => {
    const sealed = sealConnectionConfig(
      definition,
      { companyDomain: 'acme', apiKey: 'k'.repeat(40), baseUrl: 'http://127.0.0.1:9' },
      vault,
      'conn-1',
    );
    expect(sealed.config).toEqual(expect.not.objectContaining({ apiKey: expect.anything() }));
    expect(sealed.secretsSealed).toMatch(/^jv1\./);
    const opened = openConnector({ id: 'conn-1', connectorId: 'bamboohr', ...sealed }, { vault, log });
    expect(opened.definition.id).toBe('bamboohr');
    expect(typeof requireCapability(opened, 'readPeople').readPeople).toBe('function');
    expect(() => requireCapability(opened, 'writeAccounts')).toThrow(/cannot writeAccounts/);
  });

  it('names the bad field, never its value, non-retryable', () => {
    const error = captured(() =>
      openConnector(
        {
          id: 'c',
          connectorId: 'bamboohr',
          config: { companyDomain: 'not a domain!', pageSize: 99999 },
          secretsSealed: null,
        },
        { vault, log },
      ),
    );
    expect(error.connectorCode).toBe('invalid_config');
    expect(error.retryable).toBe(false);
    expect(error.publicMessage).toContain('companyDomain');
    expect(error.publicMessage).toContain('apiKey');
    expect(error.publicMessage).toContain('pageSize');
    expect(error.publicMessage).not.toContain('not a domain!');
  });

  it('refuses secrets sealed for another connection (copied ciphertext) and unknown connectors', () => {
    const sealed = sealConnectionConfig(
      definition,
      { companyDomain: 'acme', apiKey: 'secret-key' },
      vault,
      'conn-a',
    );
    const copied = captured(() =>
      openConnector({ id: 'conn-b', connectorId: 'bamboohr', ...sealed }, { vault, log }),
    );
    expect(copied.connectorCode).toBe('invalid_config');
    expect(copied.publicMessage).toContain('cannot be opened');
    expect(copied.publicMessage).not.toContain('secret-key');
    const unknown = captured(() =>
      openConnector({ id: 'x', connectorId: 'workday', config: {}, secretsSealed: null }, { vault, log }),
    );
    expect(unknown.publicMessage).toContain('"workday"');
  });
});

function captured(action: () => unknown): ConnectorError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}
