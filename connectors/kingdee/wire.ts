import { z } from 'zod';

/**
 * Kingdee WebAPI response bodies as zod schemas. The documented templates write booleans and numbers as strings
 * (`"IsSuccess":"false"`, `"MsgCode":""`, API文档 › 返回结果) while servers send JSON booleans and numbers, so both
 * are accepted. ExecuteBillQuery answers a bare array of rows; its failures come in the same outer shape,
 * `[[{"Result":{"ResponseStatus":…}}]]`.
 */

const boolish = z
  .union([z.boolean(), z.string()])
  .transform((v) => v === true || String(v).toLowerCase() === 'true');
const numberish = z
  .union([z.number(), z.string()])
  .transform((v) => (typeof v === 'number' ? v : v.trim() === '' ? null : Number(v)))
  .nullable();

const statusItem = z.object({
  FieldName: z.string().nullish(),
  Message: z.string().nullish(),
  DIndex: numberish.optional(),
});

export const responseStatusSchema = z.object({
  IsSuccess: boolish,
  ErrorCode: z.unknown().optional(),
  MsgCode: numberish.optional(),
  Errors: z.array(statusItem).nullish(),
  SuccessEntitys: z
    .array(
      z.object({
        Id: z.union([z.number(), z.string()]),
        Number: z.string().nullish(),
        DIndex: numberish.optional(),
      }),
    )
    .nullish(),
});
export type ResponseStatus = z.infer<typeof responseStatusSchema>;

/** Save / Submit / Audit / UnAudit / CancelAssign / Delete / ExcuteOperation / View. */
export const operationResultSchema = z.object({
  Result: z.looseObject({
    ResponseStatus: responseStatusSchema,
    Id: z.union([z.number(), z.string()]).nullish(),
    Number: z.string().nullish(),
  }),
});
export type OperationResult = z.infer<typeof operationResultSchema>;

export const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Cell = z.infer<typeof cellSchema>;

/** ExecuteBillQuery: rows, or the failure wrapped as a one-row, one-cell "table". */
export const billQueryResultSchema = z.union([
  z.array(z.array(cellSchema)),
  z.tuple([z.tuple([operationResultSchema])]).transform(([[failure]]) => failure),
]);

/** AuthService.ValidateUser / LoginByAppSecret / LoginBySign. LoginResultType 1 is success. */
export const loginResultSchema = z.looseObject({
  LoginResultType: z.union([
    z.number(),
    z
      .string()
      .regex(/^-?\d+$/)
      .transform(Number),
  ]),
  Message: z.string().nullish(),
  MessageCode: z.unknown().optional(),
  KDSVCSessionId: z.string().nullish(),
  Context: z.looseObject({ UserName: z.string().nullish() }).nullish(),
});
export type LoginResult = z.infer<typeof loginResultSchema>;

/** AccountService.GetDataCenterList: the data centres (账套) a site hosts; names may be plain or localised. */
export const dataCenterListSchema = z.array(
  z.looseObject({ Id: z.union([z.string(), z.number()]).transform(String), Name: z.unknown().optional() }),
);

/** The ResponseStatus inside any Kingdee body (operation or query failure), when there is one. */
export function findResponseStatus(body: unknown): ResponseStatus | undefined {
  const wrapped = Array.isArray(body) && Array.isArray(body[0]) ? (body[0] as unknown[])[0] : body;
  const parsed = operationResultSchema.safeParse(wrapped);
  return parsed.success ? parsed.data.Result.ResponseStatus : undefined;
}

/** The Errors of a ResponseStatus as one line: "FStaffNumber: 违反字段唯一性要求…; …". */
export function statusMessages(status: ResponseStatus): string {
  const lines = (status.Errors ?? [])
    .map((e) =>
      [e.FieldName, e.Message]
        .filter((part) => part !== null && part !== undefined && part !== '')
        .join(': '),
    )
    .filter((line) => line !== '');
  return lines.join('; ');
}
