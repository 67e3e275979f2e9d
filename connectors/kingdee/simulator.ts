import express, { type Request, type Response } from 'express';
import type { FaultSettings } from '../kit/simulator/fault-injector.js';
import { generateOrg } from '../kit/simulator/generate-org.js';
import { SimulatorServer, type SimulatorHandle } from '../kit/simulator/simulator-server.js';
import type { RunningSimulator, SimulatorStartOptions } from '../simulators.js';
import { loginByAppSecret, loginBySign, validateUser, type LoginOutcome } from './simulator/login.js';
import { runOperation, type StateOperation } from './simulator/operations.js';
import { executeBillQuery } from './simulator/query.js';
import type { Organization } from './simulator/records.js';
import { RequestArgs } from './simulator/request-args.js';
import {
  failureStatus,
  MSG_CODE,
  operationBody,
  queryFailureBody,
  SESSION_LOST_MESSAGE,
  type ResponseStatus,
} from './simulator/responses.js';
import { save } from './simulator/save.js';
import { loadSeed, type SeedData } from './simulator/seed.js';
import { ASP_NET_COOKIE, parseCookies, SESSION_COOKIE, type Session } from './simulator/sessions.js';
import { KingdeeState, type SimulatorApp, type SimulatorUser } from './simulator/state.js';
import { view } from './simulator/view.js';
import { SERVICE } from './service-names.js';

/**
 * A Kingdee Cloud Galaxy (金蝶云星空) WebAPI server for Junction's tests and for trying Junction without a Kingdee
 * licence. Every service is `POST /k3cloud/{ServiceName}.common.kdsvc` with a JSON body, as on a real site; service
 * names are matched case-insensitively (the vendor's own Go and Node SDKs spell some in lower case). The data
 * centre holds the two forms Junction keeps in step — 员工 BD_Empinfo and 部门 BD_Department — with Kingdee's
 * save → submit → audit lifecycle and 禁用 / 反禁用, its ResponseStatus error shapes and MsgCode values, sessions that
 * expire (`tokenTtlSeconds`), and the kit's fault knobs answered the Kingdee way: a rate limit is MsgCode 14 调用限制
 * in an HTTP 200 body, a failure is IIS's HTML error page.
 *
 * Doc sources: open.kingdee.com › API文档 (WebAPI 7.5.1800.6), per operation page "请求参数 / 返回结果 / MsgCode说明";
 * the vendor SDKs (kingdee.cdp.webapi.sdk for Python, the Java and Node SDKs) for body wrapping and cookies.
 */

export const KINGDEE_SIMULATOR_DEFAULTS = {
  acctId: '64f1a2b3c4d5e6',
  userName: 'junction.api',
  password: 'Junction#2052',
  appId: '312345_Jq8+ZkVkT0mRk1Zx3bWv6zP2',
  appSecret: 'b4d1e8f2a9c34f6e8d7a1c0b5e2f9a3d',
  orgNumber: '100',
} as const;

export interface KingdeeSimulatorOptions {
  acctId?: string;
  users?: SimulatorUser[];
  apps?: SimulatorApp[];
  organizations?: Organization[];
  /** Seed this many generated employees (with a department tree). */
  people?: number;
  /** Seed of the generated organisation and of the fault sequence. */
  seed?: number;
  /** Or load exactly this data. */
  seedData?: SeedData;
  faults?: Partial<FaultSettings>;
  now?: () => number;
}

export interface KingdeeSimulatorHandle extends SimulatorHandle {
  /** What a connection's `baseUrl` is set to: `{url}/k3cloud/`. */
  baseUrl: string;
}

type Handler = (args: RequestArgs, req: Request, res: Response) => void;

/** Generated master data: the kit's organisation, departments numbered by their generator id. */
export function generatedSeed(people: number, seed = 1): SeedData {
  const org = generateOrg({ people, seed });
  return {
    departments: org.departments.map((d) => ({ number: d.id, name: d.name, parentNumber: d.parentId })),
    employees: org.people.map((p) => ({
      number: p.employeeNumber,
      name: p.displayName,
      email: p.email,
      mobile: p.mobile,
      departmentNumber: p.departmentId,
      active: p.status === 'active',
    })),
  };
}

export class KingdeeSimulator {
  readonly server: SimulatorServer;
  readonly state: KingdeeState;

  constructor(options: KingdeeSimulatorOptions = {}) {
    const d = KINGDEE_SIMULATOR_DEFAULTS;
    this.server = new SimulatorServer({
      name: 'Kingdee',
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      // A Kingdee session lives 20 minutes by default (IIS session state timeout).
      faults: { tokenTtlSeconds: 20 * 60, ...options.faults },
      responders: {
        tooManyRequests: (req, res) =>
          this.fail(req, res, failureStatus(MSG_CODE.callLimited, '接口调用次数超过限制，请稍后再试！')),
        serverError: (_req, res, status) =>
          void res
            .status(status)
            .type('text/html')
            .send(
              `<html><head><title>Runtime Error</title></head><body><h1>Server Error in '/K3Cloud' Application.</h1><p>HTTP ${status}</p></body></html>`,
            ),
      },
    });
    this.state = new KingdeeState({
      acctId: options.acctId ?? d.acctId,
      users: options.users ?? [{ userName: d.userName, password: d.password, permissions: 'all' }],
      apps: options.apps ?? [{ appId: d.appId, appSecret: d.appSecret, userName: d.userName }],
      ...(options.organizations ? { organizations: options.organizations } : {}),
      ...(options.now ? { now: options.now } : {}),
      sessionTtlSeconds: () => this.server.faults.settings.tokenTtlSeconds,
    });
    const seedData =
      options.seedData ?? (options.people ? generatedSeed(options.people, options.seed) : undefined);
    if (seedData) loadSeed(this.state, seedData);
    this.routes();
  }

  start(port = 0, host = '127.0.0.1'): Promise<KingdeeSimulatorHandle> {
    return this.server.start(port, host).then((handle) => ({ ...handle, baseUrl: `${handle.url}/k3cloud/` }));
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Answers a failure in the shape of the service asked: ExecuteBillQuery wraps it as `[[{Result…}]]`. */
  private fail(req: Request, res: Response, status: ResponseStatus): void {
    const isQuery = req.path.toLowerCase().includes('executebillquery');
    res.status(200).json(isQuery ? queryFailureBody(status) : operationBody(status));
  }

  private session(req: Request, res: Response): Session | undefined {
    const header = req.get(SESSION_COOKIE);
    const session = this.state.sessions.resolve(header, parseCookies(req.get('cookie')));
    if (!session) this.fail(req, res, failureStatus(MSG_CODE.contextLost, SESSION_LOST_MESSAGE));
    return session;
  }

  private login(res: Response, outcome: LoginOutcome): void {
    if (outcome.session) {
      res.cookie(SESSION_COOKIE, outcome.session.id, { path: '/' });
      res.cookie(ASP_NET_COOKIE, outcome.session.aspNetId, { path: '/', httpOnly: true, sameSite: 'lax' });
    }
    res.status(200).json(outcome.body);
  }

  private routes(): void {
    const state = this.state;
    const lcid = (args: RequestArgs, index: number) => Number(args.string(index, 'lcid') || 2052);
    const withSession =
      (fn: (session: Session, args: RequestArgs) => unknown): Handler =>
      (args, req, res) => {
        const session = this.session(req, res);
        if (session) res.status(200).json(fn(session, args));
      };
    const operation = (op: StateOperation): Handler =>
      withSession((session, args) =>
        runOperation(state, session, args.get(0, 'formid'), op, args.object(1, 'data')),
      );
    const dynamicForm = (name: string) => `${SERVICE.dynamicFormPrefix}.${name}`.toLowerCase();

    const handlers = new Map<string, Handler>([
      // API文档 › 登录 ValidateUser: acctID, username, password, lcid → LoginResultType 1 and the session cookies.
      [
        SERVICE.validateUser.toLowerCase(),
        (args, _req, res) =>
          this.login(
            res,
            validateUser(state, {
              acctId: args.string(0, 'acctID'),
              userName: args.string(1, 'username'),
              password: args.string(2, 'password'),
              lcid: lcid(args, 3),
            }),
          ),
      ],
      // 第三方系统登录授权, LoginByAppSecret: acctid, username, appid, appsecret, lcid (vendor Go / Node SDKs).
      [
        SERVICE.loginByAppSecret.toLowerCase(),
        (args, _req, res) =>
          this.login(
            res,
            loginByAppSecret(state, {
              acctId: args.string(0, 'acctid'),
              userName: args.string(1, 'username'),
              appId: args.string(2, 'appid'),
              appSecret: args.string(3, 'appsecret', 'appsec'),
              lcid: lcid(args, 4),
            }),
          ),
      ],
      // 第三方系统登录授权, LoginBySign: acctid, username, appid, timestamp, signeddata, lcid (SHA-256 signature).
      [
        SERVICE.loginBySign.toLowerCase(),
        (args, _req, res) =>
          this.login(
            res,
            loginBySign(state, {
              acctId: args.string(0, 'acctid'),
              userName: args.string(1, 'username'),
              appId: args.string(2, 'appid'),
              timestamp: args.string(3, 'timestamp'),
              signature: args.string(4, 'signeddata', 'sign'),
              lcid: lcid(args, 5),
            }),
          ),
      ],
      // AuthService.Logout: ends the session (frees the concurrent-user licence seat it held).
      [
        SERVICE.logout.toLowerCase(),
        (_args, req, res) => {
          const session = state.sessions.resolve(req.get(SESSION_COOKIE), parseCookies(req.get('cookie')));
          if (session) state.sessions.end(session.id);
          res.status(200).json(true);
        },
      ],
      // AccountService.GetDataCenterList (SDK GetDataCenters; anonymous): the data centres this site hosts.
      [
        SERVICE.getDataCenterList.toLowerCase(),
        (_args, _req, res) =>
          void res.status(200).json([
            {
              Id: state.acctId,
              Number: state.acctId.slice(0, 6),
              Name: state.dataCenterName,
              DataBaseType: 3,
            },
          ]),
      ],
      // API文档 › 单据查询 ExecuteBillQuery: {"data":{FormId, FieldKeys, FilterString, OrderString, TopRowCount,
      // StartRow, Limit}} → [[v1, v2, …], …], or [[{"Result":{"ResponseStatus":…}}]] on failure.
      [
        dynamicForm('ExecuteBillQuery'),
        (args, req, res) => {
          const session = this.session(req, res);
          if (!session) return;
          const outcome = executeBillQuery(state, session, args.object(0, 'data'));
          res.status(200).json('rows' in outcome ? outcome.rows : queryFailureBody(outcome.status));
        },
      ],
      // API文档 › 查看 View: {"formid","data":{"CreateOrgId","Number","Id"}} → {"Result":{"ResponseStatus","Result"}}.
      [
        dynamicForm('View'),
        withSession((session, args) => view(state, session, args.get(0, 'formid'), args.object(1, 'data'))),
      ],
      // API文档 › 保存 Save: {"formid","data":{"NeedUpDateFields","IsDeleteEntry",…,"Model"}} → Result.Id / Number.
      [
        dynamicForm('Save'),
        withSession((session, args) => save(state, session, args.get(0, 'formid'), args.object(1, 'data'))),
      ],
      // API文档 › 提交 Submit, 审核 Audit, 反审核 UnAudit, 撤销 CancelAssign, 删除 Delete: {"formid","data":{Numbers, Ids}}.
      [dynamicForm('Submit'), operation('Submit')],
      [dynamicForm('Audit'), operation('Audit')],
      [dynamicForm('UnAudit'), operation('UnAudit')],
      [dynamicForm('CancelAssign'), operation('CancelAssign')],
      [dynamicForm('Delete'), operation('Delete')],
      // API文档 › 操作接口 ExcuteOperation (sic): {"formid","opNumber":"Forbid"|"Enable","data":{Numbers, Ids}}.
      [
        dynamicForm('ExcuteOperation'),
        withSession((session, args) => {
          const opNumber = args.string(1, 'opNumber').toLowerCase();
          const op: StateOperation | undefined =
            opNumber === 'forbid' ? 'Forbid' : opNumber === 'enable' ? 'Enable' : undefined;
          if (!op) {
            return operationBody(
              failureStatus(
                MSG_CODE.operationMissing,
                `操作标识[${args.string(1, 'opNumber')}]不存在或为空！`,
              ),
            );
          }
          return runOperation(state, session, args.get(0, 'formid'), op, args.object(2, 'data'));
        }),
      ],
    ]);

    this.server.app.post(
      '/k3cloud/:service',
      express.json({ limit: '20mb', type: () => true }),
      (req: Request<{ service: string }>, res: Response) => {
        const name = /^(.+)\.common\.kdsvc$/i.exec(req.params.service)?.[1];
        const handler = name ? handlers.get(name.toLowerCase()) : undefined;
        if (!handler)
          return void res.status(404).type('text/plain').send(`service ${req.params.service} not found`);
        try {
          handler(new RequestArgs(req.body), req, res);
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          this.fail(req, res, failureStatus(MSG_CODE.badParameter, `请求数据格式错误：${error.message}`));
        }
      },
    );
    // A body that is not JSON: the platform answers its parameter error, not an HTML page.
    this.server.app.use((error: unknown, req: Request, res: Response, next: express.NextFunction) => {
      if (error instanceof SyntaxError)
        return this.fail(req, res, failureStatus(MSG_CODE.badParameter, '请求数据不是有效的JSON！'));
      next(error);
    });
  }
}

/** A connection config (secrets included) for the default integration user against a simulator at `baseUrl`. */
export function simulatorConnectionConfig(baseUrl: string): Record<string, unknown> {
  const d = KINGDEE_SIMULATOR_DEFAULTS;
  return { baseUrl, acctId: d.acctId, username: d.userName, password: d.password, orgNumber: d.orgNumber };
}

/** `junction simulate kingdee`: a seeded simulator on a port, with what a connection to it needs. */
export async function startKingdeeSimulator(options: SimulatorStartOptions): Promise<RunningSimulator> {
  const simulator = new KingdeeSimulator({
    people: options.people,
    seed: options.seed,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const handle = await simulator.start(options.port ?? 0, options.host ?? '127.0.0.1');
  const d = KINGDEE_SIMULATOR_DEFAULTS;
  const { employees, departments } = simulator.state;
  return {
    // The server root (the CLI adds /_sim/faults to it); connections use the /k3cloud/ base in the config.
    url: handle.url,
    faults: simulator.server.faults,
    connectionConfig: simulatorConnectionConfig(handle.baseUrl),
    notes: [
      `data centre ${d.acctId}, organisation ${d.orgNumber}; ${employees.size.toLocaleString('en')} employees (员工), ${departments.size.toLocaleString('en')} departments (部门)`,
      `password login: ${d.userName} / ${d.password}; app login: appId ${d.appId}, appSecret ${d.appSecret}`,
      `WebAPI base: ${handle.baseUrl} (services: POST ${handle.baseUrl}{ServiceName}.common.kdsvc)`,
    ],
    stop: handle.stop,
  };
}
