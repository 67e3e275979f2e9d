import express, { type NextFunction, type Request, type Response } from 'express';
import type { FaultInjector, FaultSettings } from '../kit/simulator/fault-injector.js';
import type { ExchangeRecorder } from '../kit/simulator/exchange-recorder.js';
import { SimulatorServer, type SimulatorHandle } from '../kit/simulator/simulator-server.js';
import { TokenStore } from '../kit/simulator/token-store.js';
import { ERRMSG, Errcode } from './api/errcodes.js';
import { departmentEndpoints } from './sim/department-endpoints.js';
import { DepartmentTree } from './sim/department-tree.js';
import { isRefusal, type CorpState, type Endpoint, type EndpointRequest } from './sim/endpoint.js';
import {
  DOCUMENTED_FREQUENCY_LIMITS,
  FrequencyLimiter,
  type FrequencyLimits,
} from './sim/frequency-limit.js';
import { WRONG_JSON_FORMAT } from './sim/lenient-body.js';
import { MemberStore } from './sim/member-store.js';
import { seedCorp } from './sim/seed.js';
import { userEndpoints } from './sim/user-endpoints.js';

/**
 * Which kind of secret a token was issued for (服务端API-开发指南-获取access_token, 术语说明-secret):
 * `contacts` is the Contacts Sync (通讯录同步) secret with API editing on; `contacts_readonly` the same secret
 * with editing off; `app` a self-built application's secret, which may not edit contacts nor call list_id.
 */
export type SecretKind = 'contacts' | 'contacts_readonly' | 'app';

export interface WeComSimulatorOptions {
  corpId?: string;
  corpName?: string;
  /** secret → kind. Default: one Contacts Sync secret, `sim-contacts-secret`. */
  secrets?: Record<string, SecretKind>;
  /** Members to seed (with a matching department tree). Default 0: just the root department. */
  people?: number;
  seed?: number;
  faults?: Partial<FaultSettings>;
  /** Default: the documented 10,000 per minute and 150,000 per hour per API. */
  frequency?: Partial<FrequencyLimits>;
  /** 企业可信IP: when set, calls from other addresses get errcode 60020. */
  trustedIps?: string[];
  /** Custom attributes defined in the admin console (others are ignored on write, as WeCom does). */
  extattrNames?: string[];
  /** 企业邮箱 enabled (biz_mail honoured). Default false. */
  bizMail?: boolean;
  /**
   * May this corp's IP still call the full-list APIs (user/list, user/simplelist, department/list)? WeCom closed
   * them to IPs added after 2022-08-15; the exact errcode is not documented, 48002 is answered. Default true.
   */
  legacyListApis?: boolean;
  /** 多语言 enabled (name_en honoured). Default false. */
  multilingual?: boolean;
  /** Record every exchange in `recorder` (tests that check traffic against the vendor's field lists). */
  record?: boolean;
}

export const DEFAULT_CORP_ID = 'ww0000000000000001';
export const DEFAULT_SECRET = 'sim-contacts-secret';

/**
 * A WeCom (企业微信) contacts API that behaves as developer.work.weixin.qq.com documents it: the same paths under
 * /cgi-bin, methods, JSON bodies and field names, `errcode`/`errmsg` in HTTP-200 bodies, access tokens from
 * `gettoken` that expire (42001) and can be revoked (40014), cursor paging of `user/list_id`, the documented
 * frequency limit answered with 45009, and the tree and member rules (60003, 60005, 60102, 60104 …). The kit's
 * fault knobs (the kit's SimulatorServer) add latency, 5xx bursts and injected 45009s. State is in memory and
 * open to tests.
 */
export class WeComSimulator {
  readonly server: SimulatorServer;
  readonly corpId: string;
  readonly tree: DepartmentTree;
  readonly members: MemberStore;
  readonly tokens: TokenStore<SecretKind>;
  readonly frequency: FrequencyLimiter;
  /** Calls per API (`/user/get` → n), faulted ones included. */
  readonly calls = new Map<string, number>();
  trustedIps: string[] | undefined;
  legacyListApis: boolean;
  private readonly secrets: Record<string, SecretKind>;
  private readonly currentToken = new Map<string, { token: string; expiresAt: number }>();
  private handle: SimulatorHandle | undefined;

  constructor(options: WeComSimulatorOptions = {}) {
    this.corpId = options.corpId ?? DEFAULT_CORP_ID;
    this.secrets = options.secrets ?? { [DEFAULT_SECRET]: 'contacts' };
    this.trustedIps = options.trustedIps;
    this.legacyListApis = options.legacyListApis ?? true;
    this.members = new MemberStore(() => this.tree, {
      extattrNames: new Set(options.extattrNames ?? ['工号', '成本中心']),
      bizMail: options.bizMail ?? false,
    });
    this.tree = new DepartmentTree(options.corpName ?? '模拟企业', (id) => this.members.memberCount(id));
    if (options.people)
      seedCorp(this.tree, this.members, { people: options.people, seed: options.seed ?? 1 });
    this.server = new SimulatorServer({
      name: 'WeCom',
      ...(options.faults ? { faults: options.faults } : {}),
      seed: options.seed ?? 42,
      responders: {
        // WeCom limits in a 200 body, never with HTTP 429 (附录-访问频率限制).
        tooManyRequests: (_req, res) => this.reply(res, Errcode.apiFrequencyLimit),
        serverError: (_req, res, status) => {
          res.status(status).type('text/html').send(`<html><body><h1>${status}</h1>nginx</body></html>`);
        },
      },
    });
    this.server.recorder.enabled = options.record ?? false;
    this.tokens = new TokenStore<SecretKind>(() => this.faults.settings.tokenTtlSeconds);
    this.frequency = new FrequencyLimiter({ ...DOCUMENTED_FREQUENCY_LIMITS, ...options.frequency });
    this.addRoutes(options);
  }

  get app(): express.Express {
    return this.server.app;
  }

  get faults(): FaultInjector {
    return this.server.faults;
  }

  get recorder(): ExchangeRecorder {
    return this.server.recorder;
  }

  get corp(): CorpState {
    return { tree: this.tree, members: this.members };
  }

  /** Listens on loopback (port 0: a free one) and returns the base URL (`baseUrl` of a connection). */
  async start(port = 0, host = '127.0.0.1'): Promise<SimulatorHandle> {
    this.handle = await this.server.start(port, host);
    return this.handle;
  }

  get url(): string {
    if (!this.handle) throw new Error('the WeCom simulator is not started');
    return this.handle.url;
  }

  async stop(): Promise<void> {
    this.handle = undefined;
    await this.server.stop();
  }

  /** The tokens currently handed out by gettoken (one per secret), for tests that look for leaks. */
  currentTokens(): string[] {
    return [...this.currentToken.values()].map((entry) => entry.token);
  }

  /** Expires every token issued so far: the next call with one gets 42001. */
  expireTokens(): void {
    this.tokens.expireAll();
  }

  /** "企业微信可能会出于运营需要，提前使access_token失效": the next call with a current token gets 40014. */
  revokeTokens(): void {
    for (const { token } of this.currentToken.values()) this.tokens.revoke(token);
    this.currentToken.clear();
  }

  private addRoutes(options: WeComSimulatorOptions): void {
    const app = this.app;
    app.use('/_sim', this.controlRoutes());
    app.use('/cgi-bin', this.count, this.checkIp);
    app.use('/cgi-bin', express.json({ type: () => true, limit: '2mb' }));
    // 服务端API-开发指南-获取access_token: GET /cgi-bin/gettoken?corpid=ID&corpsecret=SECRET
    app.get('/cgi-bin/gettoken', (req, res) => this.getToken(req, res));
    for (const endpoint of [
      ...userEndpoints,
      ...departmentEndpoints({ multilingual: options.multilingual ?? false }),
    ]) {
      app.all(`/cgi-bin${endpoint.path}`, (req, res) => this.serve(endpoint, req, res));
    }
    app.use((_req, res) => {
      res.status(404).type('text/html').send('<html><body><h1>404 Not Found</h1></body></html>');
    });
    // A body that is not JSON: "如果请求的参数不符合json规范…" — WeCom answers 47001.
    app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
      if (res.headersSent) return next(error);
      if (error instanceof SyntaxError || (error as { type?: string }).type === 'entity.parse.failed') {
        return this.reply(res, Errcode.badJson);
      }
      return next(error);
    });
  }

  private getToken(req: Request, res: Response): void {
    const corpid = queryOf(req).corpid;
    const secret = queryOf(req).corpsecret;
    if (!corpid) return this.reply(res, Errcode.missingCorpId);
    if (!secret) return this.reply(res, Errcode.missingSecret);
    if (corpid !== this.corpId) return this.reply(res, Errcode.invalidCorpId);
    const kind = this.secrets[secret];
    if (!kind) return this.reply(res, Errcode.invalidSecret);
    if (!this.frequency.admit('/gettoken')) return this.reply(res, Errcode.apiFrequencyLimit);
    // "有效期内重复获取返回相同结果，过期后获取会返回新的access_token"
    const current = this.currentToken.get(secret);
    const now = Date.now();
    if (current && current.expiresAt > now && this.tokens.verify(current.token).ok) {
      this.send(res, {
        access_token: current.token,
        expires_in: Math.ceil((current.expiresAt - now) / 1000),
      });
      return;
    }
    const issued = this.tokens.issue(kind);
    this.currentToken.set(secret, { token: issued.token, expiresAt: now + issued.expiresInSeconds * 1000 });
    this.send(res, { access_token: issued.token, expires_in: issued.expiresInSeconds });
  }

  private serve(endpoint: Endpoint, req: Request, res: Response): void {
    if (req.method !== endpoint.method) {
      return this.reply(res, endpoint.method === 'GET' ? Errcode.requiresGet : Errcode.requiresPost);
    }
    const query = queryOf(req);
    if (!query.access_token) return this.reply(res, Errcode.missingAccessToken);
    const check = this.tokens.verify(query.access_token);
    if (!check.ok) {
      return this.reply(
        res,
        check.reason === 'expired' ? Errcode.accessTokenExpired : Errcode.invalidAccessToken,
      );
    }
    if (
      (endpoint.write && check.subject !== 'contacts') ||
      (endpoint.contactsOnly && check.subject === 'app') ||
      (endpoint.legacyList && !this.legacyListApis)
    ) {
      return this.reply(res, Errcode.apiForbidden);
    }
    if (!this.frequency.admit(endpoint.path)) return this.reply(res, Errcode.apiFrequencyLimit);
    const request: EndpointRequest = { query, body: isPlainObject(req.body) ? req.body : {} };
    const result = endpoint.handle(this.corp, request);
    const warning = request.wrongFormat ? `. ${WRONG_JSON_FORMAT}` : '';
    if (isRefusal(result)) {
      return this.reply(
        res,
        result.errcode,
        `${result.errmsg ?? ERRMSG[result.errcode] ?? 'error'}${warning}`,
      );
    }
    this.send(res, result.fields, `${result.errmsg}${warning}`);
  }

  /** An error answer: HTTP 200, errcode and errmsg in the body (全局错误码). */
  private reply(res: Response, errcode: number, errmsg?: string): void {
    const text = errmsg ?? ERRMSG[errcode] ?? 'error';
    res.status(200).json({
      errcode,
      errmsg: `${text}, hint: [${hint()}], more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`,
    });
  }

  private send(res: Response, fields: Record<string, unknown>, errmsg = 'ok'): void {
    res.status(200).json({ errcode: 0, errmsg, ...fields });
  }

  private readonly count = (req: Request, _res: Response, next: NextFunction): void => {
    this.calls.set(req.path, (this.calls.get(req.path) ?? 0) + 1);
    next();
  };

  private readonly checkIp = (req: Request, res: Response, next: NextFunction): void => {
    const address = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (this.trustedIps && !this.trustedIps.includes(address)) {
      return this.reply(res, Errcode.ipNotAllowed, `not allow to access from your ip, from ip: ${address}`);
    }
    next();
  };

  /** /_sim/…: state and knobs for `junction simulate` users and tests over HTTP (fault knobs: /_sim/faults). */
  private controlRoutes(): express.Router {
    const router = express.Router();
    router.get('/stats', (_req, res) => {
      res.json({
        departments: this.tree.size,
        members: this.members.size,
        calls: Object.fromEntries(this.calls),
        faults: this.faults.stats,
        frequencyBlocked: this.frequency.blocked,
      });
    });
    router.post('/tokens/expire', (_req, res) => {
      this.expireTokens();
      res.json({ expired: true });
    });
    router.post('/tokens/revoke', (_req, res) => {
      this.revokeTokens();
      res.json({ revoked: true });
    });
    router.post('/users/:userid/activate', (req, res) => {
      res.status(this.members.activate(String(req.params.userid)) ? 200 : 404).json({});
    });
    return router;
  }
}

export function createWeComSimulator(options: WeComSimulatorOptions = {}): WeComSimulator {
  return new WeComSimulator(options);
}

function queryOf(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(req.query as Record<string, unknown>)) {
    const first = Array.isArray(value) ? (value as unknown[])[0] : value;
    if (typeof first === 'string') out[key] = first;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

let hintCounter = 0;
/** WeCom appends a request id ("hint: [1636945471_206_…]") to every errmsg. */
function hint(): string {
  hintCounter += 1;
  return `${Math.floor(Date.now() / 1000)}_${hintCounter}_sim`;
}
