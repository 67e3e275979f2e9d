import { ConnectorError } from '../kit/errors.js';
import type { LdapSettings } from './config.js';
import { parseTimestamp, toGeneralizedTime } from './protocol/generalized-time.js';

/**
 * Incremental reads filter on the server's change time (modifyTimestamp; AD whenChanged) with `>=`. Watermarks
 * are the worker's clock when a read starts, as ISO 8601; the filter starts `incrementalOverlapSeconds` earlier,
 * because the server's clock may differ from ours and the attribute has one-second precision. Re-reading a few
 * unchanged entries is harmless (the engine writes only what changed); missing one is not. No change-time filter
 * matches a deleted entry: deletions.ts asks AD's Deleted Objects or an OpenLDAP access log, with the same
 * overlap; without either, the scheduled full read finds people who are gone.
 */
export function changedSinceValue(
  settings: LdapSettings,
  watermark: string | null | undefined,
): string | null {
  if (!watermark) return null;
  const date = parseTimestamp(watermark);
  if (!date) {
    throw new ConnectorError('invalid_config', {
      message: `the incremental watermark ${JSON.stringify(watermark)} is not a timestamp; run a full read`,
    });
  }
  return toGeneralizedTime(new Date(date.getTime() - settings.config.incrementalOverlapSeconds * 1000));
}

export function currentWatermark(): string {
  return new Date().toISOString();
}
