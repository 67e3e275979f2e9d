/**
 * The MsgCode values every WebAPI operation page lists (API文档 › 各操作 › 备注：错误代码MsgCode说明), shared by the
 * client's error mapping and the simulator.
 */
export const MSG_CODE = {
  default: 0,
  /** 上下文丢失: the session is gone ("会话信息已丢失，请重新登录"). */
  contextLost: 1,
  /** 没有权限 */
  noPermission: 2,
  /** 操作标识为空 */
  operationMissing: 3,
  /** 异常 */
  exception: 4,
  /** 单据标识为空 */
  formIdMissing: 5,
  /** 数据库操作失败 */
  databaseFailed: 6,
  /** 许可错误 */
  licence: 7,
  /** 参数错误 */
  badParameter: 8,
  /** 指定字段/值不存在 */
  fieldOrValueMissing: 9,
  /** 未找到对应数据 */
  dataNotFound: 10,
  /** 验证失败 */
  validationFailed: 11,
  /** 不可操作 */
  notOperable: 12,
  /** 网控冲突 */
  networkControlConflict: 13,
  /** 调用限制 */
  callLimited: 14,
  /** 禁止管理员登录 */
  adminLoginForbidden: 15,
} as const;
export type MsgCode = (typeof MSG_CODE)[keyof typeof MSG_CODE];

/** What a lost or expired session answers (MsgCode 1). */
export const SESSION_LOST_MESSAGE = '会话信息已丢失，请重新登录';
