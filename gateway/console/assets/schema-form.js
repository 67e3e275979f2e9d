import { h } from './dom.js';

/**
 * A form from a connector's config JSON Schema (GET /connectors): text, number, checkbox and select inputs per
 * property; secret (writeOnly) fields are password inputs that are never filled in, and left empty keep the stored
 * value. Returns the fields and a `read()` that gives the config object to send.
 */
export function schemaForm(schema, values = {}, secretsSet = {}) {
  const properties = schema?.properties ?? {};
  const required = new Set(schema?.required ?? []);
  const readers = [];
  const fields = [];
  for (const [name, property] of Object.entries(properties)) {
    const id = `cfg-${name}`;
    const label = `${name}${required.has(name) && property.default === undefined ? ' *' : ''}`;
    const hint = property.description ?? '';
    const value = values[name];
    let input;
    let read;
    const type = Array.isArray(property.type) ? property.type.find((t) => t !== 'null') : property.type;
    if (property.writeOnly) {
      input = h('input', {
        id,
        type: 'password',
        autocomplete: 'new-password',
        placeholder: secretsSet[name] ? 'stored — leave empty to keep' : '',
      });
      read = () => (input.value === '' ? undefined : input.value);
    } else if (Array.isArray(property.enum)) {
      input = h(
        'select',
        { id },
        h('option', { value: '' }, property.default !== undefined ? `(default: ${property.default})` : '—'),
        property.enum.map((v) => h('option', { value: String(v), selected: value === v }, String(v))),
      );
      read = () => (input.value === '' ? undefined : input.value);
    } else if (type === 'boolean') {
      input = h('input', { id, type: 'checkbox', checked: value ?? property.default ?? false });
      read = () => input.checked;
    } else if (type === 'integer' || type === 'number') {
      input = h('input', {
        id,
        type: 'number',
        step: type === 'integer' ? '1' : 'any',
        value: value ?? '',
        placeholder: property.default !== undefined ? String(property.default) : '',
      });
      read = () => (input.value === '' ? undefined : Number(input.value));
    } else if (type === 'string') {
      input = h('input', {
        id,
        type: property.format === 'uri' ? 'url' : 'text',
        value: value ?? '',
        placeholder: property.default !== undefined ? String(property.default) : '',
      });
      read = () => (input.value.trim() === '' ? undefined : input.value.trim());
    } else {
      // Arrays and nested objects: edited as JSON.
      input = h(
        'textarea',
        { id, rows: 3, class: 'mono' },
        value === undefined ? '' : JSON.stringify(value, null, 2),
      );
      read = () => (input.value.trim() === '' ? undefined : JSON.parse(input.value));
    }
    if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
    fields.push(
      h(
        'div',
        { class: 'field' },
        h('label', { for: id }, label),
        input,
        hint ? h('small', { class: 'hint', id: `${id}-hint` }, hint) : null,
      ),
    );
    readers.push([name, read]);
  }
  return {
    fields,
    read() {
      const out = {};
      for (const [name, read] of readers) {
        const v = read();
        if (v !== undefined) out[name] = v;
      }
      return out;
    },
  };
}
