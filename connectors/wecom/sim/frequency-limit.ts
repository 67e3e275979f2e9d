/**
 * WeCom's base frequency limit (附录-访问频率限制, developer.work.weixin.qq.com/document/path/90312): "每企业调用
 * 单个cgi/api不可超过1万次/分，15万次/小时"; once over, "按分钟拦截则被屏蔽60秒，按小时拦截则被屏蔽60分钟".
 * Counted per corp and per API path in fixed minute / hour windows, answered with errcode 45009.
 */
export interface FrequencyLimits {
  perMinute: number;
  perHour: number;
}

export const DOCUMENTED_FREQUENCY_LIMITS: FrequencyLimits = { perMinute: 10_000, perHour: 150_000 };

interface Counter {
  minuteStart: number;
  minuteCount: number;
  hourStart: number;
  hourCount: number;
  blockedUntil: number;
}

export class FrequencyLimiter {
  private readonly counters = new Map<string, Counter>();
  blocked = 0;

  constructor(
    public limits: FrequencyLimits = DOCUMENTED_FREQUENCY_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one call to `api`; false when the call is refused (over the limit, or still blocked). */
  admit(api: string): boolean {
    const now = this.now();
    let counter = this.counters.get(api);
    if (!counter) {
      counter = { minuteStart: now, minuteCount: 0, hourStart: now, hourCount: 0, blockedUntil: 0 };
      this.counters.set(api, counter);
    }
    if (now < counter.blockedUntil) {
      this.blocked += 1;
      return false;
    }
    if (now - counter.minuteStart >= 60_000) {
      counter.minuteStart = now;
      counter.minuteCount = 0;
    }
    if (now - counter.hourStart >= 3_600_000) {
      counter.hourStart = now;
      counter.hourCount = 0;
    }
    counter.minuteCount += 1;
    counter.hourCount += 1;
    if (counter.hourCount > this.limits.perHour) {
      counter.blockedUntil = now + 3_600_000;
    } else if (counter.minuteCount > this.limits.perMinute) {
      counter.blockedUntil = now + 60_000;
    } else {
      return true;
    }
    this.blocked += 1;
    return false;
  }

  reset(): void {
    this.counters.clear();
    this.blocked = 0;
  }
}
