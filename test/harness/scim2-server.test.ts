import { SCIM2_SERVER_VERSION, findScim2Server, startScim2Server } from './scim2-server.js';

describe('scim2-server harness', () => {
  it('starts the real scim2-server on a free port, with bearer auth, and stops it', async () => {
    const server = await startScim2Server({ token: 'harness-token' });
    try {
      expect(server.version).toBe(SCIM2_SERVER_VERSION);
      const config = await fetch(`${server.baseUrl}/ServiceProviderConfig`, {
        headers: { authorization: 'Bearer harness-token' },
      });
      expect(config.status).toBe(200);
      expect(await config.json()).toMatchObject({ patch: { supported: true }, etag: { supported: true } });
      const anonymous = await fetch(`${server.baseUrl}/Users`);
      expect(anonymous.status).toBe(401);
    } finally {
      await server.stop();
    }
    await expect(fetch(`${server.baseUrl}/ServiceProviderConfig`)).rejects.toThrow();
  });

  it('serves the ServiceProviderConfig it is given', async () => {
    const server = await startScim2Server({
      serviceProviderConfig: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
        patch: { supported: false },
        bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
        filter: { supported: true, maxResults: 50 },
        changePassword: { supported: false },
        sort: { supported: false },
        etag: { supported: false },
        authenticationSchemes: [],
      },
    });
    try {
      const config = await fetch(`${server.baseUrl}/ServiceProviderConfig`, {
        headers: { authorization: `Bearer ${server.token}` },
      });
      expect(await config.json()).toMatchObject({ patch: { supported: false }, filter: { maxResults: 50 } });
    } finally {
      await server.stop();
    }
  });

  it('says what to install when the interpreter has no scim2-server, without hanging', async () => {
    const missing = findScim2Server('/nonexistent/python3');
    expect(missing).toBeInstanceOf(Error);
    expect((missing as Error).message).toMatch(/pip install 'scim2-server==0\.8\.3'/);
    await expect(startScim2Server({ python: '/nonexistent/python3' })).rejects.toThrow(/scim2-server/);
  });
});
