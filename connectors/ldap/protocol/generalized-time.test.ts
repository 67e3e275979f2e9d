import { parseTimestamp, toGeneralizedTime } from './generalized-time.js';

describe('GeneralizedTime (RFC 4517 §3.3.13)', () => {
  it('writes UTC to the second', () => {
    expect(toGeneralizedTime(new Date('2026-03-04T05:06:07.890Z'))).toBe('20260304050607Z');
  });

  it.each([
    ['20260304050607Z', '2026-03-04T05:06:07.000Z'],
    ['20260304050607.5Z', '2026-03-04T05:06:07.500Z'],
    ['202603040506Z', '2026-03-04T05:06:00.000Z'],
    ['20260304050607+0200', '2026-03-04T03:06:07.000Z'],
    ['2026-03-04T05:06:07Z', '2026-03-04T05:06:07.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseTimestamp(text)?.toISOString()).toBe(iso);
  });

  it('refuses anything else', () => {
    expect(parseTimestamp('yesterday')).toBeNull();
    expect(parseTimestamp('20261304050607Z')).toBeNull();
  });
});
