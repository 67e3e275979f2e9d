import { MSG_CODE, type MsgCode } from '../msg-code.js';

export { MSG_CODE, type MsgCode };

/**
 * Response bodies as the WebAPI documents them (API文档 › 各操作 › 二、返回结果):
 * `{"Result":{"ResponseStatus":{"ErrorCode":…,"IsSuccess":…,"Errors":[{"FieldName","Message","DIndex"}],
 * "SuccessEntitys":[{"Id","Number","DIndex"}],"SuccessMessages":[],"MsgCode":…}}}`, and the MsgCode table every
 * operation page ends with (备注：错误代码MsgCode说明).
 */

export { SESSION_LOST_MESSAGE } from '../msg-code.js';

export interface StatusError {
  FieldName: string | null;
  Message: string;
  DIndex: number;
}

export interface SuccessEntity {
  Id: number;
  Number: string;
  DIndex: number;
}

export interface ResponseStatus {
  ErrorCode?: number;
  IsSuccess: boolean;
  Errors: StatusError[];
  SuccessEntitys: SuccessEntity[];
  SuccessMessages: StatusError[];
  MsgCode: number;
}

/** An error for one item of an operation, with the MsgCode it would set. */
export interface ItemError extends StatusError {
  msgCode: MsgCode;
}

export function itemError(
  msgCode: MsgCode,
  message: string,
  fieldName: string | null = null,
  index = 0,
): ItemError {
  return { msgCode, Message: message, FieldName: fieldName, DIndex: index };
}

/** Builds the ResponseStatus for a batch of items: IsSuccess only when nothing failed. */
export function responseStatus(successes: SuccessEntity[], errors: ItemError[]): ResponseStatus {
  if (errors.length === 0) {
    return {
      IsSuccess: true,
      Errors: [],
      SuccessEntitys: successes,
      SuccessMessages: [],
      MsgCode: MSG_CODE.default,
    };
  }
  return {
    ErrorCode: 500,
    IsSuccess: false,
    Errors: errors.map(({ FieldName, Message, DIndex }) => ({ FieldName, Message, DIndex })),
    SuccessEntitys: successes,
    SuccessMessages: [],
    MsgCode: errors[0]?.msgCode ?? MSG_CODE.exception,
  };
}

export function failureStatus(
  msgCode: MsgCode,
  message: string,
  fieldName: string | null = null,
): ResponseStatus {
  return responseStatus([], [itemError(msgCode, message, fieldName)]);
}

/** Save, Submit, Audit, ExcuteOperation…: `{"Result":{"ResponseStatus":…}}` (Save adds Id/Number/NeedReturnData). */
export function operationBody(status: ResponseStatus, extra: Record<string, unknown> = {}): unknown {
  return { Result: { ResponseStatus: status, ...extra } };
}

/**
 * ExecuteBillQuery answers rows as a bare array of arrays; a failure arrives in that same outer shape, the status
 * wrapped as `[[{"Result":{"ResponseStatus":…}}]]` (how the official Java SDK's loadErrorMsg unwraps it).
 */
export function queryFailureBody(status: ResponseStatus): unknown {
  return [[{ Result: { ResponseStatus: status } }]];
}
