import { approvalActionRoutes } from './actions/approval-actions.js';
import { connectionActionRoutes } from './actions/connection-actions.js';
import { personActionRoutes } from './actions/person-actions.js';
import { runActionRoutes } from './actions/run-actions.js';
import type { ApiRoute } from './http/route.js';
import { accountRoutes } from './resources/accounts.js';
import { adminGrantRoutes } from './resources/admin-grants.js';
import { apiTokenRoutes } from './resources/api-tokens.js';
import { applicationRoutes } from './resources/applications.js';
import { approvalRoutes } from './resources/approvals.js';
import { auditEventRoutes } from './resources/audit-events.js';
import { connectionRoutes } from './resources/connections.js';
import { connectorRoutes } from './resources/connectors.js';
import { departmentRoutes } from './resources/departments.js';
import { domainRoutes } from './resources/domains.js';
import { entitlementRoutes } from './resources/entitlements.js';
import { groupRoutes } from './resources/groups.js';
import { identityProviderRoutes } from './resources/identity-providers.js';
import { peopleRoutes } from './resources/people.js';
import { roleAssignmentRoutes } from './resources/role-assignments.js';
import { roleRuleRoutes } from './resources/role-rules.js';
import { roleRoutes } from './resources/roles.js';
import { syncRunRoutes } from './resources/sync-runs.js';
import { tenantRoutes } from './resources/tenants.js';

/** Every admin API operation, in the order the OpenAPI document lists them. */
export function allRoutes(): ApiRoute[] {
  return [
    ...tenantRoutes,
    ...domainRoutes,
    ...identityProviderRoutes,
    ...applicationRoutes,
    ...connectorRoutes,
    ...connectionRoutes,
    ...connectionActionRoutes,
    ...roleRoutes,
    ...roleRuleRoutes,
    ...roleAssignmentRoutes,
    ...entitlementRoutes,
    ...peopleRoutes,
    ...personActionRoutes,
    ...departmentRoutes,
    ...groupRoutes,
    ...accountRoutes,
    ...syncRunRoutes,
    ...runActionRoutes,
    ...approvalRoutes,
    ...approvalActionRoutes,
    ...auditEventRoutes,
    ...adminGrantRoutes,
    ...apiTokenRoutes,
  ];
}
