import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * WeCom's own field lists (shared/specs/wecom/*.yaml, from WecomTeam/OpenApi, MIT), read so tests can check
 * the simulator's answers and the connector's requests against the vendor's description rather than our
 * reading of it. The format (see each file's header): a field has `name`, `type` 1 string · 2 array ·
 * 3 object · 4 number · 5 file · 6 boolean, `is_required` (true/false or 是/否) and, for arrays and objects,
 * `items.properties` (for an array, its first entry describes the elements).
 */
export type FieldType = 'string' | 'array' | 'object' | 'number' | 'file' | 'boolean' | 'any';

export interface Field {
  name: string;
  type: FieldType;
  required: boolean;
  /** Object: its fields. Array: one entry describing the elements (absent: elements unspecified). */
  items?: Field[];
}

export interface ApiSpec {
  operationId: string;
  method: 'GET' | 'POST';
  /** Below /cgi-bin, e.g. `/user/create`. */
  path: string;
  /** Query parameters, the credential (`access_token`, `corpid`) included. */
  query: Field[];
  body: Field[];
  response: Field[];
}

const TYPES: Record<number, FieldType> = {
  1: 'string',
  2: 'array',
  3: 'object',
  4: 'number',
  5: 'file',
  6: 'boolean',
};

const rawFieldSchema: z.ZodType<RawField> = z.lazy(() =>
  z.object({
    name: z.string().optional(),
    type: z.union([z.number(), z.string()]).optional(),
    is_required: z.union([z.boolean(), z.string()]).optional(),
    example: z.unknown().optional(),
    items: z
      .object({ properties: z.array(rawFieldSchema).optional() })
      .partial()
      .nullish(),
  }),
);
interface RawField {
  name?: string | undefined;
  type?: number | string | undefined;
  is_required?: boolean | string | undefined;
  example?: unknown;
  items?: { properties?: RawField[] | undefined } | null | undefined;
}

const rawSpecSchema = z.object({
  operationid: z.string(),
  method: z.enum(['GET', 'POST']),
  path: z.string(),
  request: z.object({
    auth: z.array(rawFieldSchema).nullish(),
    params: z.array(rawFieldSchema).nullish(),
    body: z.array(rawFieldSchema).nullish(),
  }),
  response: z.array(z.object({ status: z.string(), body: z.array(rawFieldSchema).nullish() })),
});

function toField(raw: RawField): Field {
  const typeNumber = typeof raw.type === 'string' ? Number(raw.type) : raw.type;
  let type: FieldType = typeNumber === undefined ? 'any' : (TYPES[typeNumber] ?? 'any');
  // Untyped array elements carry only an example: its JSON type is the element type.
  if (typeNumber === undefined && raw.example !== undefined && raw.example !== '') {
    type = typeof raw.example === 'number' ? 'number' : typeof raw.example === 'string' ? 'string' : 'any';
  }
  const properties = raw.items?.properties;
  const field: Field = {
    name: raw.name ?? '',
    type,
    required: raw.is_required === true || raw.is_required === '是' || raw.is_required === 'true',
  };
  if ((type === 'object' || type === 'array') && properties && properties.length > 0) {
    field.items = type === 'array' ? [toField(properties[0] as RawField)] : properties.map(toField);
  }
  return field;
}

/**
 * Fields listed at the top level under a dotted name (`extattr.type`, in 更新成员) describe sub-fields already
 * described inside their parent: they are not top-level fields, so they are left out.
 */
const fields = (raw: RawField[] | null | undefined): Field[] =>
  (raw ?? []).filter((field) => !(field.name ?? '').includes('.')).map(toField);

/** A verbatim copy of shared/specs/wecom, kept in the repository so the tests run on any clone. */
export const SPEC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'vendor');

export function loadWeComSpecs(dir = SPEC_DIR): Map<string, ApiSpec> {
  const specs = new Map<string, ApiSpec>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.yaml'))) {
    const raw = rawSpecSchema.parse(parse(readFileSync(join(dir, file), 'utf8')));
    const path = new URL(raw.path).pathname.replace(/^\/cgi-bin/, '');
    specs.set(path, {
      operationId: raw.operationid,
      method: raw.method,
      path,
      query: [...fields(raw.request.auth), ...fields(raw.request.params)],
      body: fields(raw.request.body),
      response: fields(raw.response.find((r) => r.status === '200')?.body),
    });
  }
  return specs;
}

/** How `value` departs from `fields`: unknown names, wrong JSON types and (when `requireFlags`) missing required ones. */
export function violations(value: unknown, specFields: Field[], requireFlags: boolean, at = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [`${at || '(body)'}: not an object`];
  const out: string[] = [];
  const known = new Map(specFields.map((field) => [field.name, field]));
  for (const [name, item] of Object.entries(value)) {
    const field = known.get(name);
    const path = at ? `${at}.${name}` : name;
    if (!field) out.push(`${path}: not a documented field`);
    else out.push(...typeViolations(item, field, requireFlags, path));
  }
  if (requireFlags) {
    for (const field of specFields) {
      if (field.required && !(field.name in value))
        out.push(`${at ? `${at}.` : ''}${field.name}: required, missing`);
    }
  }
  return out;
}

function typeViolations(value: unknown, field: Field, requireFlags: boolean, path: string): string[] {
  switch (field.type) {
    case 'any':
    case 'file':
      return [];
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: should be a string, is ${JSON.stringify(value)}`];
    case 'number':
      return typeof value === 'number' ? [] : [`${path}: should be a number, is ${JSON.stringify(value)}`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: should be a boolean, is ${JSON.stringify(value)}`];
    case 'object':
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return [`${path}: should be an object`];
      return field.items ? violations(value, field.items, requireFlags, path) : [];
    case 'array': {
      if (!Array.isArray(value)) return [`${path}: should be an array`];
      const element = field.items?.[0];
      if (!element) return [];
      return value.flatMap((item, index) =>
        typeViolations(item, { ...element, name: '' }, requireFlags, `${path}[${index}]`),
      );
    }
  }
}
