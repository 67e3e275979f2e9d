import { defineConnector } from '../kit/contract.js';
import { BAMBOOHR_RATE_LIMIT } from './client.js';
import { bambooHrConfigSchema } from './config.js';
import { BambooHrConnector } from './connector.js';

/** BambooHR (HR, source): people and departments, full and incremental reads, webhook signatures. */
export const bamboohrConnector = defineConnector({
  id: 'bamboohr',
  category: 'hr',
  title: 'BambooHR',
  description:
    'Reads employees (job, department, division, manager, status, hire and termination dates, employee number, work e-mail) and departments from BambooHR; incremental reads via "changed since".',
  docsUrl: 'https://documentation.bamboohr.com/reference',
  directions: ['source'],
  configSchema: bambooHrConfigSchema,
  capabilities: ['check', 'readPeople', 'readDepartments', 'verifyWebhook'],
  rateLimit: BAMBOOHR_RATE_LIMIT,
  create: (ctx) => new BambooHrConnector(ctx),
});
