import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ApiRoute } from './route.js';

type JsonSchema = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0), generated from the same zod schemas that
 * validate requests and responses. OpenAPI 3.1 uses JSON Schema 2020-12, which is what `z.toJSONSchema` emits;
 * named schemas (`.meta({ id })`) become `components.schemas`.
 */
export function buildOpenApiDocument(routes: readonly ApiRoute[], serverUrl: string): JsonSchema {
  const components = new ComponentSchemas();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      'x-junction-permission': route.permission,
    };
    const parameters = [
      ...objectParameters(route.params, 'path', components),
      ...objectParameters(route.query, 'query', components),
      ...(route.ifMatch
        ? [
            {
              name: 'If-Match',
              in: 'header',
              required: false,
              description: 'The ETag you read; the change is refused with 412 if the object changed since.',
              schema: { type: 'string' },
            },
          ]
        : []),
    ];
    if (parameters.length > 0) operation.parameters = parameters;
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: components.convert(route.body, 'input') } },
      };
    }
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      const headers = spec.etag
        ? { ETag: { description: 'Version tag for If-Match', schema: { type: 'string' } } }
        : undefined;
      const content = spec.schema
        ? { [spec.contentType ?? 'application/json']: { schema: components.convert(spec.schema, 'output') } }
        : spec.contentType
          ? { [spec.contentType]: { schema: { type: 'string' } } }
          : undefined;
      responses[status] = {
        description: spec.description,
        ...(headers ? { headers } : {}),
        ...(content ? { content } : {}),
      };
    }
    for (const status of errorStatuses(route)) {
      responses[String(status)] ??= { $ref: `#/components/responses/Problem${status}` };
    }
    operation.responses = responses;
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Junction admin API',
      version: '1.0.0',
      description:
        'Configure tenants, identity providers, applications, connections, roles and rules; run and inspect syncs. ' +
        'Every error is an RFC 9457 problem document with a stable `code`.',
    },
    servers: [{ url: serverUrl }],
    security: [{ apiToken: [] }, { consoleSession: [] }],
    paths,
    components: {
      schemas: { ...components.all(), Problem: PROBLEM_SCHEMA },
      responses: Object.fromEntries(
        Object.entries(ERROR_DESCRIPTIONS).map(([status, description]) => [
          `Problem${status}`,
          {
            description,
            content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        ]),
      ),
      securitySchemes: {
        apiToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'An admin API token (`jat_…`), created under /api-tokens. Shown once; stored hashed.',
        },
        consoleSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'junction_console',
          description:
            'The console session (sign in through Junction SSO); writes also need the X-Junction-CSRF header.',
        },
      },
    },
  };
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed or a field is invalid (`validation_failed`, `invalid_cursor`)',
  401: 'No valid API token or console session (`unauthenticated`)',
  403: 'Your admin role does not allow this (`forbidden`)',
  404: 'No such object, or not in your tenants (`not_found`)',
  409: 'A unique value is taken, or something still refers to the object (`conflict`)',
  412: 'If-Match did not match the current ETag (`precondition_failed`)',
  422: 'The request is valid but cannot be carried out in the object’s current state',
  503: 'A service the action needs (Temporal, the vendor) is unavailable',
};

function errorStatuses(route: ApiRoute): number[] {
  const statuses = [400, 401, 403, 404];
  if (route.method !== 'get') statuses.push(409, 422, 503);
  if (route.ifMatch) statuses.push(412);
  return statuses;
}

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', description: 'Stable machine-readable error code' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { pointer: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } },
      },
    },
    currentEtag: { type: 'string' },
  },
  required: ['type', 'title', 'status', 'code'],
};

function objectParameters(
  schema: z.ZodType | undefined,
  where: 'path' | 'query',
  components: ComponentSchemas,
): JsonSchema[] {
  if (!schema) return [];
  const json = components.convertInline(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

/** Collects named schemas into `components.schemas`, naming the request variant `<Id>Input` when it differs. */
class ComponentSchemas {
  private readonly schemas = new Map<string, JsonSchema>();

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as JsonSchema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    const renames = new Map<string, string>();
    for (const [id, def] of Object.entries(defs)) {
      // zod names recursive schemas without an id `__schema0`, `__schema1`… per conversion; name them by content.
      const name = id.startsWith('__schema')
        ? `Recursive${createHash('sha256').update(JSON.stringify(def)).digest('hex').slice(0, 8)}`
        : id;
      renames.set(id, this.nameFor(name, io));
    }
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (value && typeof value === 'object') {
        const out: Record<string, unknown> = {};
        for (const [key, inner] of Object.entries(value)) {
          if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')) {
            const id = inner.slice('#/$defs/'.length);
            out.$ref = `#/components/schemas/${renames.get(id) ?? id}`;
          } else out[key] = rewrite(inner);
        }
        return out;
      }
      return value;
    };
    for (const [id, def] of Object.entries(defs)) this.put(renames.get(id) ?? id, rewrite(def) as JsonSchema);
    const { $defs: _defs, $schema: _schema, ...rest } = json;
    void _defs;
    void _schema;
    return rewrite(rest) as JsonSchema;
  }

  /** For parameters, which must be listed one by one: the object itself is not a component. */
  convertInline(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    return this.convert(schema, io);
  }

  all(): Record<string, JsonSchema> {
    return Object.fromEntries([...this.schemas].sort(([a], [b]) => a.localeCompare(b)));
  }

  private nameFor(id: string, io: 'input' | 'output'): string {
    return io === 'input' ? `${id}Input` : id;
  }

  private put(name: string, schema: JsonSchema): void {
    const existing = this.schemas.get(name);
    if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
      throw new Error(`two different schemas are both named ${name} in the OpenAPI document`);
    }
    this.schemas.set(name, schema);
  }
}
