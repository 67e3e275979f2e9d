import { createHash } from 'node:crypto';

/**
 * WeCom's userid rule (通讯录管理-成员管理-创建成员, `userid`): 1–64 bytes of letters, digits and `_-@.`, the
 * first a letter or digit. WeCom compares userids without regard to case.
 */
const USERID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_\-@.]{0,63}$/;

export function isValidUserid(value: string): boolean {
  return USERID_PATTERN.test(value);
}

/** Case-insensitive identity, as WeCom's uniqueness check ("系统进行唯一性检查时会忽略大小写"). */
export function useridKey(userid: string): string {
  return userid.toLowerCase();
}

const HASH_LENGTH = 10;

/**
 * The userid Junction gives the member for a stable key (our correlation id or employee number). A key that is
 * already a valid userid is used as it is, so admins recognise it; any other key is folded to the allowed
 * characters and suffixed with a hash of the original, so two keys that fold alike still get different userids
 * and the same key always gets the same one (a retried create finds its member).
 */
export function useridFor(key: string): string {
  if (isValidUserid(key)) return key;
  const hash = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, HASH_LENGTH);
  const folded = key
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_\-@.]/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64 - HASH_LENGTH - 1);
  return folded.length > 0 ? `${folded}-${hash}` : `u${hash}`;
}
