import { api } from '../api.js';
import { describe } from '../app.js';
import { badge, button, h, link } from '../dom.js';

/** The directory record's fields, in the order the page lists them, with the words an admin reads. */
export const RECORD_FIELDS = [
  ['displayName', 'Display name'],
  ['employeeNumber', 'Employee number'],
  ['givenName', 'Given name'],
  ['familyName', 'Family name'],
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['jobTitle', 'Job title'],
  ['departmentId', 'Department'],
  ['managerId', 'Manager'],
  ['rank', 'Rank'],
  ['grade', 'Grade'],
  ['costCenter', 'Cost centre'],
  ['division', 'Division'],
  ['location', 'Location'],
  ['status', 'Status'],
  ['hireDate', 'Hire date'],
  ['terminationDate', 'Termination date'],
];

/** Always listed; the rest only when an admin overrode them (they show elsewhere on the page). */
const ALWAYS = new Set([
  'employeeNumber',
  'givenName',
  'familyName',
  'jobTitle',
  'rank',
  'grade',
  'costCenter',
  'division',
  'location',
  'hireDate',
  'terminationDate',
]);

/** Department and manager ids named as the admin knows them: `names` maps an id to its name. */
function shown(key, value, names) {
  if (value === null || value === undefined || value === '') return '—';
  if (key === 'managerId') return link(`#/people/${value}`, names.get(value) ?? String(value));
  if (key === 'departmentId') return names.get(value) ?? String(value);
  return String(value);
}

/** The ids of departments and managers the record shows, to look their names up before rendering. */
export function referencedIds(person) {
  const overrides = person.overrides ?? {};
  const sourceValues = person.sourceValues ?? {};
  const pick = (key) =>
    key in overrides ? [person[key], sourceValues[key]].filter((v) => typeof v === 'string') : [];
  return { departments: pick('departmentId'), people: pick('managerId') };
}

/**
 * The directory record as `dt`/`dd` pairs. A field an admin overrode says so, shows the source's value beneath
 * (what clearing brings back), and has a Clear button, which sends the person's ETag so a change made meanwhile
 * (a sync page, another admin) is not undone blind. `onCleared(message)` re-renders the page.
 */
export function recordEntries(person, etag, names, onCleared) {
  const overrides = person.overrides ?? {};
  const sourceValues = person.sourceValues ?? {};
  const sourced = Boolean(person.source?.connectionId);
  return RECORD_FIELDS.filter(([key]) => ALWAYS.has(key) || key in overrides).map(([key, label]) => {
    const value = shown(key, person[key], names);
    if (!(key in overrides)) return h('div', {}, h('dt', {}, label), h('dd', {}, value));
    const underneath = !sourced
      ? 'No source: clearing keeps this value'
      : key in sourceValues
        ? ['Source: ', shown(key, sourceValues[key], names)]
        : 'Source: not known yet (it comes with the next sync)';
    const clearButton = button(
      'Clear override',
      async () => {
        clearButton.disabled = true;
        try {
          await api('PATCH', `/people/${person.id}`, { clear: [key] }, etag ? { 'if-match': etag } : {});
          onCleared(`Override of ${label.toLowerCase()} cleared.`, 'info');
        } catch (error) {
          clearButton.disabled = false;
          if (error?.status === 412) {
            onCleared(
              'This person changed since the page was opened (a sync or another admin): it is shown again as it is now; clear again if you still want to.',
              'error',
            );
          } else onCleared(describe(error), 'error', false);
        }
      },
      { class: 'secondary', 'aria-label': `Clear override of ${label.toLowerCase()}` },
    );
    return h(
      'div',
      { class: 'overridden', dataset: { field: key } },
      h('dt', {}, label, ' ', badge('overridden', 'overridden')),
      h(
        'dd',
        {},
        h('span', { class: 'value' }, value),
        h('small', { class: 'source-value' }, underneath),
        clearButton,
      ),
    );
  });
}
