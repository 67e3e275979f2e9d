/** The gateway's own cookies. Names are stable: changing one signs everybody out. */
export const SSO_SESSION_COOKIE = 'junction_sso';
/** Binds login transactions, upstream state and CSRF tokens to one browser. */
export const BROWSER_COOKIE = 'junction_browser';
export const OIDC_COOKIE_NAMES = {
  session: 'junction_op_session',
  interaction: 'junction_op_interaction',
  resume: 'junction_op_resume',
} as const;
