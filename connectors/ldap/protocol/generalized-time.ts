/** GeneralizedTime (RFC 4517 §3.3.13), as modifyTimestamp / whenChanged carry it. */

export function toGeneralizedTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`;
}

const GENERALIZED = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{2}(?:\d{2})?)$/;

/** Parses GeneralizedTime, or an ISO 8601 timestamp (watermarks may come either way); null if neither. */
export function parseTimestamp(text: string): Date | null {
  const match = GENERALIZED.exec(text.trim());
  if (match) {
    const [, y, mo, d, h, mi = '00', s = '00', fraction, zone = 'Z'] = match;
    const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3, 5) || '00'}`;
    const ms = fraction ? `.${fraction.padEnd(3, '0').slice(0, 3)}` : '';
    const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  const iso = new Date(text);
  return /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(iso.getTime()) ? iso : null;
}
