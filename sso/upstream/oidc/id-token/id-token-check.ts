import type { JWTPayload, ProtectedHeaderParameters, JWTVerifyGetKey } from 'jose';

/** Everything one check may look at. Claims are only trusted once `checkSignature` has run (it fills them). */
export interface IdTokenContext {
  token: string;
  header: ProtectedHeaderParameters;
  claims: JWTPayload;
  expected: {
    issuer: string;
    clientId: string;
    nonce: string;
    algorithms: readonly string[];
    /** Seconds since the epoch. */
    now: number;
    clockSkewSeconds: number;
  };
  keys: JWTVerifyGetKey;
}

export type IdTokenCheck = (ctx: IdTokenContext) => void | Promise<void>;

/** Which check refused the token and why: goes to the audit log, never to the browser. */
export class IdTokenRejected extends Error {
  constructor(
    readonly check: string,
    message: string,
  ) {
    super(`id_token rejected by ${check}: ${message}`);
    this.name = 'IdTokenRejected';
  }
}
