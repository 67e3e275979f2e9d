/**
 * Kingdee Cloud Galaxy WebAPI services. Every call is `POST {site}/k3cloud/{ServiceName}.common.kdsvc` with a JSON
 * body (open.kingdee.com › API文档, each operation's 请求地址; the vendor SDKs append `.common.kdsvc` the same way).
 * Note the vendor's own spelling `ExcuteOperation` (no second "e").
 */
const AUTH = 'Kingdee.BOS.WebApi.ServicesStub.AuthService';
const DYNAMIC_FORM = 'Kingdee.BOS.WebApi.ServicesStub.DynamicFormService';

export const SERVICE = {
  /** API文档 › 登录 ValidateUser: acctID, username, password, lcid. */
  validateUser: `${AUTH}.ValidateUser`,
  /** 第三方系统登录授权 with the app secret sent: acctid, username, appid, appsecret, lcid. */
  loginByAppSecret: `${AUTH}.LoginByAppSecret`,
  /** 第三方系统登录授权 with a signature: acctid, username, appid, timestamp, signeddata, lcid. */
  loginBySign: `${AUTH}.LoginBySign`,
  logout: `${AUTH}.Logout`,
  /** Anonymous: the data centres (账套) a site hosts; SDK `GetDataCenters`. */
  getDataCenterList: 'Kingdee.BOS.ServiceFacade.ServicesStub.Account.AccountService.GetDataCenterList',
  dynamicFormPrefix: DYNAMIC_FORM,
  executeBillQuery: `${DYNAMIC_FORM}.ExecuteBillQuery`,
  view: `${DYNAMIC_FORM}.View`,
  save: `${DYNAMIC_FORM}.Save`,
  submit: `${DYNAMIC_FORM}.Submit`,
  audit: `${DYNAMIC_FORM}.Audit`,
  unAudit: `${DYNAMIC_FORM}.UnAudit`,
  cancelAssign: `${DYNAMIC_FORM}.CancelAssign`,
  delete: `${DYNAMIC_FORM}.Delete`,
  excuteOperation: `${DYNAMIC_FORM}.ExcuteOperation`,
} as const;

export type ServiceName = Exclude<(typeof SERVICE)[keyof typeof SERVICE], typeof DYNAMIC_FORM>;

/** The path of a service below the site's `/k3cloud/` base. */
export function servicePath(service: ServiceName): string {
  return `${service}.common.kdsvc`;
}
