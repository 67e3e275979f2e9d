import { Writable } from 'node:stream';
import { pino } from 'pino';
import { REDACT_PATHS } from './logger.js';

function capture(): { log: pino.Logger; lines: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    log: pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream),
    lines: () => chunks.join(''),
  };
}

describe('logger redaction', () => {
  it('hides secrets at the top level and nested in headers and configs', () => {
    const { log, lines } = capture();
    log.info(
      {
        password: 'hunter2',
        headers: { authorization: 'Bearer abc.def', cookie: 'sid=1' },
        connection: { config: { corpsecret: 'wecom-secret' }, apiKey: 'bamboo-key' },
        keep: 'visible',
      },
      'request',
    );
    const out = lines();
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('abc.def');
    expect(out).not.toContain('sid=1');
    expect(out).not.toContain('wecom-secret');
    expect(out).not.toContain('bamboo-key');
    expect(out).toContain('visible');
  });
});
