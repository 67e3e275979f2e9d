import { UserStatus } from '../api/user-schemas.js';
import type { DepartmentTree } from './department-tree.js';
import type { MemberStore } from './member-store.js';
import type { SimDepartment, SimUser } from './sim-types.js';

/** `status` (读取成员): disabled wins; otherwise activated members are 1 and invited ones 4. */
export function statusOf(user: SimUser): number {
  if (!user.enabled) return UserStatus.disabled;
  return user.activated ? UserStatus.active : UserStatus.notActivated;
}

/**
 * A member in the shape `user/get` and `user/list` answer with, as the Contacts Sync secret sees it: every
 * field present, unset strings empty (WeCom sends "" rather than leaving them out).
 */
export function renderUser(user: SimUser, members: MemberStore): Record<string, unknown> {
  const avatar = user.avatar_mediaid ? `https://wework.qpic.cn/wwpic/${user.avatar_mediaid}/0` : '';
  return {
    userid: user.userid,
    name: user.name,
    department: user.department,
    order: user.order,
    position: user.position ?? '',
    mobile: user.mobile ?? '',
    gender: user.gender,
    email: user.email ?? '',
    biz_mail: user.biz_mail ?? '',
    is_leader_in_dept: user.is_leader_in_dept,
    direct_leader: user.direct_leader.filter((userid) => members.get(userid) !== undefined),
    avatar,
    thumb_avatar: avatar ? avatar.replace(/\/0$/, '/100') : '',
    telephone: user.telephone ?? '',
    alias: user.alias ?? '',
    address: user.address ?? '',
    main_department: user.main_department,
    extattr: { attrs: user.extattr },
    status: statusOf(user),
    qr_code: `https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=sim${user.seq.toString(16)}`,
    external_position: user.external_position ?? '',
    external_profile: user.external_profile ?? { external_corp_name: '', external_attr: [] },
  };
}

/** A department as `department/get` and `department/list` answer with it (获取单个部门详情). */
export function renderDepartment(department: SimDepartment, members: MemberStore): Record<string, unknown> {
  const leaders = members
    .membersOf(department.id)
    .filter((user) => user.is_leader_in_dept[user.department.indexOf(department.id)] === 1)
    .map((user) => user.userid);
  return {
    id: department.id,
    name: department.name,
    name_en: department.name_en ?? '',
    department_leader: leaders,
    parentid: department.parentid,
    order: department.order,
  };
}

export function renderSubtree(
  tree: DepartmentTree,
  id: number,
  members: MemberStore,
): Record<string, unknown>[] {
  return tree.subtree(id).map((department) => renderDepartment(department, members));
}
