import { readFile } from 'node:fs/promises';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import type { Exchange } from '../simulator/exchange-recorder.js';

/**
 * Checks recorded simulator traffic against a vendor's OpenAPI 3.1 document: each request against the
 * operation's parameters and request body, each response against the documented schema for its status.
 * Used by simulator tests (the simulator says what the vendor says) and therefore also covers the connector's
 * requests (the connector asks what the vendor accepts). Built on Ajv's JSON Schema 2020-12 validator, the
 * dialect OpenAPI 3.1 schemas are written in.
 */

interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  style?: string;
  explode?: boolean;
  schema?: unknown;
}

interface Operation {
  operationId?: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> } | { $ref: string }>;
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  literalSegments: number;
  pointer: string;
  operation: Operation;
  pathParameters: (Parameter | { $ref: string })[];
}

export interface ValidatorOptions {
  /** Statuses any operation may answer although few document them (BambooHR: 401, 429, 5xx). */
  genericStatuses?: readonly number[];
  /** Array query parameters the vendor documents as comma-separated although the schema omits explode: false. */
  commaSeparated?: ReadonlySet<string>;
  /** Parameter schemas to override where the document contradicts itself (name → JSON schema). */
  parameterOverrides?: Record<string, unknown>;
  /** Turns a recorded path into the document's path (e.g. strip a gateway prefix). */
  normalizePath?: (path: string) => string;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

export class OpenApiValidator {
  private readonly ajv: Ajv2020;
  private readonly coercing: Ajv2020;
  private readonly routes: Route[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  private constructor(
    private readonly document: Record<string, unknown>,
    private readonly options: ValidatorOptions,
  ) {
    const make = (coerce: boolean): Ajv2020 => {
      const ajv = new Ajv2020({
        strict: false,
        allErrors: true,
        validateSchema: false,
        ...(coerce ? { coerceTypes: 'array' as const } : {}),
      });
      addFormats(ajv);
      ajv.addSchema(document, 'openapi');
      return ajv;
    };
    this.ajv = make(false);
    this.coercing = make(true);
    const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;
    for (const [template, item] of Object.entries(paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        const operation = item[method] as Operation | undefined;
        if (!operation) continue;
        const segments = template.split('/');
        this.routes.push({
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(
            `^${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}/?$`,
          ),
          literalSegments: segments.filter((s) => !/^\{.+\}$/.test(s)).length,
          pointer: `#/paths/${escapePointer(template)}/${method}`,
          operation,
          pathParameters: (item.parameters as Parameter[] | undefined) ?? [],
        });
      }
    }
    // Literal paths win over templated ones (/employees/changed before /employees/{id}).
    this.routes.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  static async load(file: string, options: ValidatorOptions = {}): Promise<OpenApiValidator> {
    const document = parseYaml(await readFile(file, 'utf8'), { maxAliasCount: -1 }) as Record<
      string,
      unknown
    >;
    return new OpenApiValidator(document, options);
  }

  route(method: string, path: string): Route | undefined {
    const normalized = this.options.normalizePath?.(path) ?? path;
    return this.routes.find((r) => r.method === method.toUpperCase() && r.pattern.test(normalized));
  }

  /**
   * Problems found in one exchange; empty when request and response match the document. `request: false`
   * checks only the answer (for requests a test makes invalid on purpose, to see the vendor's error).
   */
  validate(exchange: Exchange, options: { request?: boolean } = {}): string[] {
    const route = this.route(exchange.method, exchange.path);
    const where = `${exchange.method} ${exchange.path}`;
    if (!route) return [`${where}: no operation in the document`];
    const label = `${where} (${route.operation.operationId ?? route.template})`;
    return [
      ...(options.request === false ? [] : this.validateRequest(route, exchange, label)),
      ...this.validateResponse(route, exchange, label),
    ];
  }

  private validateRequest(route: Route, exchange: Exchange, label: string): string[] {
    const problems: string[] = [];
    const pathPointer = route.pointer.slice(0, route.pointer.lastIndexOf('/'));
    const withPointers = (list: (Parameter | { $ref: string })[], base: string) =>
      list.map((p, i) => ({
        parameter: this.deref<Parameter>(p),
        schemaPointer: `${'$ref' in p ? p.$ref : `${base}/parameters/${i}`}/schema`,
      }));
    const parameters = [
      ...withPointers(route.pathParameters, pathPointer),
      ...withPointers(route.operation.parameters ?? [], route.pointer),
    ];
    const query = exchange.query as Record<string, string | string[]>;
    const consumed = new Set<string>();
    for (const { parameter, schemaPointer } of parameters.filter((p) => p.parameter.in === 'query')) {
      let value: unknown;
      if (parameter.style === 'deepObject') {
        const object: Record<string, unknown> = {};
        for (const [key, raw] of Object.entries(query)) {
          const match = new RegExp(`^${escapeRegExp(parameter.name)}\\[([^\\]]+)\\](\\[\\])?$`).exec(key);
          if (!match?.[1]) continue;
          consumed.add(key);
          object[match[1]] = match[2] ? (Array.isArray(raw) ? raw : [raw]) : raw;
        }
        value = Object.keys(object).length ? object : undefined;
      } else if (parameter.name in query) {
        consumed.add(parameter.name);
        const raw = query[parameter.name];
        const isArray = (parameter.schema as { type?: unknown } | undefined)?.type === 'array';
        value =
          isArray && this.options.commaSeparated?.has(parameter.name) && typeof raw === 'string'
            ? raw.split(',')
            : raw;
      }
      if (value === undefined) {
        if (parameter.required) problems.push(`${label}: required query parameter ${parameter.name} missing`);
        continue;
      }
      const override = this.options.parameterOverrides?.[parameter.name];
      if (override === undefined && parameter.schema === undefined) continue;
      const validate =
        override === undefined
          ? this.compile(schemaPointer, this.coercing)
          : this.coercing.compile(override as object);
      // Coercion works on a copy: query strings become the integers / booleans the schema names.
      const copy: unknown = structuredClone(value);
      if (!validate(copy)) {
        problems.push(
          `${label}: query ${parameter.name}=${JSON.stringify(value)}: ${this.coercing.errorsText(validate.errors)}`,
        );
      }
    }
    for (const key of Object.keys(query)) {
      if (!consumed.has(key)) problems.push(`${label}: query parameter ${key} is not documented`);
    }
    const bodySchema = route.operation.requestBody?.content?.['application/json']?.schema;
    if (
      bodySchema &&
      exchange.requestBody !== undefined &&
      (exchange.method === 'POST' || exchange.method === 'PUT')
    ) {
      const body =
        typeof exchange.requestBody === 'string' ? tryJson(exchange.requestBody) : exchange.requestBody;
      const validate = this.compile(`${route.pointer}/requestBody/content/application~1json/schema`);
      if (!validate(body)) problems.push(`${label}: request body: ${this.ajv.errorsText(validate.errors)}`);
    }
    return problems;
  }

  private validateResponse(route: Route, exchange: Exchange, label: string): string[] {
    const responses = route.operation.responses ?? {};
    const key = String(exchange.status);
    const documented = responses[key] ?? responses[`${key[0]}XX`] ?? responses.default;
    if (!documented) {
      return this.options.genericStatuses?.includes(exchange.status)
        ? []
        : [`${label}: status ${exchange.status} is not documented`];
    }
    const response = this.deref<{ content?: Record<string, { schema?: unknown }> }>(documented);
    const hasJson = response.content?.['application/json']?.schema !== undefined;
    if (!hasJson) {
      const body = exchange.responseBody;
      const empty = body === undefined || body === '' || (Buffer.isBuffer(body) && body.length === 0);
      return empty || response.content ? [] : [`${label}: status ${key} documents no body but one was sent`];
    }
    const responseKey = responses[key] ? key : responses[`${key[0]}XX`] ? `${key[0]}XX` : 'default';
    const pointer =
      '$ref' in documented
        ? `${(documented as { $ref: string }).$ref}/content/application~1json/schema`
        : `${route.pointer}/responses/${responseKey}/content/application~1json/schema`;
    const validate = this.compile(pointer);
    return validate(exchange.responseBody)
      ? []
      : [`${label}: response ${key}: ${this.ajv.errorsText(validate.errors)}`];
  }

  private compile(pointer: string, ajv: Ajv2020 = this.ajv): ValidateFunction {
    const ref = pointer.startsWith('#') ? `openapi${pointer}` : pointer;
    const key = `${ajv === this.ajv ? 'plain' : 'coercing'}:${ref}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      this.compiled.set(key, validate);
    }
    return validate;
  }

  private deref<T>(value: T | { $ref: string }): T {
    if (typeof value === 'object' && value !== null && '$ref' in value && typeof value.$ref === 'string') {
      let node: unknown = this.document;
      for (const part of value.$ref.replace(/^#\//, '').split('/')) {
        node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      }
      return node as T;
    }
    return value as T;
  }
}

function escapePointer(text: string): string {
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
