import { ResultCodeError } from 'ldapts';
import { ConnectorError, type ConnectorErrorCode } from '../kit/errors.js';

/** LDAP result codes (RFC 4511 §4.1.9 and Appendix A) we name in messages and decisions. */
export const LdapResult = {
  operationsError: 1,
  protocolError: 2,
  timeLimitExceeded: 3,
  sizeLimitExceeded: 4,
  authMethodNotSupported: 7,
  strongerAuthRequired: 8,
  adminLimitExceeded: 11,
  unavailableCriticalExtension: 12,
  confidentialityRequired: 13,
  noSuchAttribute: 16,
  undefinedAttributeType: 17,
  constraintViolation: 19,
  attributeOrValueExists: 20,
  invalidAttributeSyntax: 21,
  noSuchObject: 32,
  invalidDNSyntax: 34,
  inappropriateAuthentication: 48,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  busy: 51,
  unavailable: 52,
  unwillingToPerform: 53,
  namingViolation: 64,
  objectClassViolation: 65,
  notAllowedOnNonLeaf: 66,
  notAllowedOnRDN: 67,
  entryAlreadyExists: 68,
  objectClassModsProhibited: 69,
  other: 80,
} as const;

export function ldapResultCode(error: unknown): number | undefined {
  return error instanceof ResultCodeError ? error.code : undefined;
}

/** The server's diagnosticMessage, without ldapts' " Code: 0x…" suffix. */
function diagnostic(error: ResultCodeError): string {
  return error.message.replace(/\s*Code: 0x[0-9a-f]+$/i, '').trim();
}

// Active Directory puts a reason in the diagnostic of a failed bind: "…, data 52e, v4563".
// https://learn.microsoft.com/en-us/troubleshoot/windows-server/windows-security/logon-failure-error-codes
const AD_BIND_REASONS: Record<string, string> = {
  '525': 'the bind DN does not exist',
  '52e': 'the password is wrong',
  '530': 'the account may not sign in at this time',
  '531': 'the account may not sign in from this workstation',
  '532': 'the password has expired',
  '533': 'the account is disabled',
  '701': 'the account has expired',
  '773': 'the password must be reset before the account can bind',
  '775': 'the account is locked out',
};

function adBindReason(message: string): string | undefined {
  const data = /\bdata ([0-9a-f]{3,4})\b/i.exec(message)?.[1]?.toLowerCase();
  return data ? AD_BIND_REASONS[data] : undefined;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const TLS_CODES = /^(?:ERR_TLS_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|CERT_|ERR_SSL_)/;

export interface LdapErrorContext {
  /** What we were doing, for the message: "bind", "read the base DN", "add uid=ada,…". */
  operation: string;
  url?: string;
}

/**
 * Turns an ldapts error (a result code, a socket failure, a TLS failure) into our ConnectorError with a message
 * that says what to fix. The LDAP result code and the server's diagnostic stay as vendor detail; network failures
 * and busy/unavailable servers are retryable, everything else is not.
 */
export function toConnectorError(error: unknown, context: LdapErrorContext): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const where = context.url ? ` (${context.url})` : '';
  if (error instanceof ResultCodeError) {
    const vendorMessage = diagnostic(error);
    const make = (code: ConnectorErrorCode, message: string, retryable?: boolean): ConnectorError =>
      new ConnectorError(code, {
        message,
        vendorCode: error.code,
        vendorMessage,
        cause: error,
        ...(retryable === undefined ? {} : { retryable }),
      });
    switch (error.code) {
      case LdapResult.invalidCredentials: {
        const reason = adBindReason(vendorMessage);
        return make(
          'auth_failed',
          `the directory refused the bind${where}: ${reason ?? 'check bindDn and bindPassword'} (LDAP 49 invalidCredentials)`,
        );
      }
      case LdapResult.inappropriateAuthentication:
        return make(
          'auth_failed',
          `the directory does not allow this kind of bind${where}: give bindDn and bindPassword of a real account (LDAP 48)`,
        );
      case LdapResult.authMethodNotSupported:
      case LdapResult.strongerAuthRequired:
      case LdapResult.confidentialityRequired:
        return make(
          'invalid_config',
          `the directory requires an encrypted connection${where}: use an ldaps:// url or set startTls (LDAP ${error.code})`,
        );
      case LdapResult.insufficientAccessRights:
        return make(
          'permission_denied',
          `the bind account may not ${context.operation}: grant it access in the directory's ACLs (LDAP 50 insufficientAccessRights)`,
        );
      case LdapResult.noSuchObject:
        return make('not_found', `no such entry while trying to ${context.operation} (LDAP 32 noSuchObject)`);
      case LdapResult.entryAlreadyExists:
      case LdapResult.attributeOrValueExists:
        return make(
          'conflict',
          `the entry already exists while trying to ${context.operation} (LDAP ${error.code})`,
        );
      case LdapResult.notAllowedOnNonLeaf:
        return make(
          'conflict',
          `cannot ${context.operation}: the entry still has entries below it (LDAP 66 notAllowedOnNonLeaf)`,
        );
      case LdapResult.busy:
      case LdapResult.unavailable:
        return make(
          'unavailable',
          `the directory is ${error.code === LdapResult.busy ? 'busy' : 'unavailable'}${where}; try again later (LDAP ${error.code})`,
          true,
        );
      case LdapResult.timeLimitExceeded:
        return make(
          'unavailable',
          `the directory ran out of time to ${context.operation} (LDAP 3); try again or use a smaller page size`,
          true,
        );
      case LdapResult.sizeLimitExceeded:
      case LdapResult.adminLimitExceeded:
        return make(
          'vendor_error',
          `the directory's size or admin limit stopped the search while trying to ${context.operation} (LDAP ${error.code}): lower pageSize or raise the server's limit for the bind account`,
        );
      case LdapResult.unavailableCriticalExtension:
        return make(
          'vendor_error',
          `the directory does not support a control Junction needs (LDAP 12) while trying to ${context.operation}: the Simple Paged Results control (RFC 2696) must be enabled`,
        );
      case LdapResult.undefinedAttributeType:
      case LdapResult.invalidAttributeSyntax:
      case LdapResult.objectClassViolation:
      case LdapResult.namingViolation:
      case LdapResult.constraintViolation:
      case LdapResult.invalidDNSyntax:
      case LdapResult.notAllowedOnRDN:
      case LdapResult.objectClassModsProhibited:
      case LdapResult.noSuchAttribute:
        return make(
          'vendor_error',
          `the directory's schema rejected the request to ${context.operation}: ${vendorMessage || 'no reason given'} (LDAP ${error.code}); check the attribute mapping`,
        );
      case LdapResult.unwillingToPerform:
        return make(
          'vendor_error',
          `the directory is unwilling to ${context.operation}: ${vendorMessage || 'no reason given'} (LDAP 53)`,
        );
      default:
        return make(
          'vendor_error',
          `the directory failed to ${context.operation}: ${vendorMessage || 'no reason given'} (LDAP ${error.code})`,
        );
    }
  }
  const err = error as NodeJS.ErrnoException | undefined;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const text = error instanceof Error ? error.message : String(error);
  if (code && TLS_CODES.test(code)) {
    return new ConnectorError('invalid_config', {
      message: `the directory's TLS certificate was not accepted${where}: ${text}; give the CA certificate in caCertificate`,
      vendorMessage: text,
      cause: error,
    });
  }
  if (
    (code && NETWORK_CODES.has(code)) ||
    /Connection (?:closed|timeout)|Socket connection not established|socket hang up|Operation timed out/i.test(
      text,
    )
  ) {
    return new ConnectorError('unavailable', {
      message: `cannot reach the directory${where} to ${context.operation}: ${text}`,
      vendorMessage: text,
      cause: error,
    });
  }
  return new ConnectorError('vendor_error', {
    message: `the directory request to ${context.operation} failed: ${text}`,
    vendorMessage: text,
    cause: error,
  });
}
