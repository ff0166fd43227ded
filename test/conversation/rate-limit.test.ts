import { describe, expect, it } from 'vitest';
import { slowDown as slowDownMessage } from '../../src/messages/conversation.js';
import { createRateLimiter } from '../../src/testing.js';

/** A limiter of two questions per second on a clock the test moves by hand. */
function limiterAt(start = 0) {
  let time = start;
  const limiter = createRateLimiter({ limit: 2, windowMs: 1000, now: () => time });
  return {
    ask: (key = 'alice') => limiter(key),
    at(ms: number) {
      time = ms;
      return this;
    },
  };
}

describe('the per-user rate limit', () => {
  it('refuses a user who has asked as often as the limit allows within the window', () => {
    const clock = limiterAt();
    expect(clock.at(0).ask()).toEqual({ ok: true, value: undefined });
    expect(clock.at(100).ask()).toEqual({ ok: true, value: undefined });
    expect(clock.at(200).ask()).toMatchObject({ ok: false });
  });

  it('lets a user who hit the limit ask again once the window has passed', () => {
    const clock = limiterAt();
    clock.at(0).ask();
    clock.at(0).ask();
    expect(clock.at(999).ask()).toMatchObject({ ok: false });
    expect(clock.at(1000).ask()).toEqual({ ok: true, value: undefined });
  });

  it('lets the user ask again exactly when retryAfterMs has passed', () => {
    const clock = limiterAt();
    clock.at(0).ask();
    clock.at(0).ask();
    const refused = clock.at(400).ask();
    if (refused.ok) throw new Error('expected a refusal');
    expect(clock.at(400 + refused.error.retryAfterMs).ask()).toEqual({ ok: true, value: undefined });
  });

  it('does not push back the time a user may ask again when questions are refused for speed', () => {
    const clock = limiterAt();
    clock.at(0).ask();
    clock.at(100).ask();
    for (let t = 200; t < 1000; t += 100) expect(clock.at(t).ask()).toMatchObject({ ok: false });
    // The question at 0 has left the window; the refused ones never counted.
    expect(clock.at(1000).ask()).toEqual({ ok: true, value: undefined });
  });

  it('counts retryAfterMs from the oldest question in the window', () => {
    const clock = limiterAt();
    clock.at(0).ask();
    clock.at(300).ask();
    expect(clock.at(700).ask()).toEqual({ ok: false, error: { retryAfterMs: 300 } });
    expect(clock.at(950).ask()).toEqual({ ok: false, error: { retryAfterMs: 50 } });
  });

  it('limits each user separately', () => {
    const clock = limiterAt();
    clock.at(0).ask('alice');
    clock.at(0).ask('alice');
    expect(clock.at(10).ask('alice')).toMatchObject({ ok: false });
    expect(clock.at(10).ask('bob')).toEqual({ ok: true, value: undefined });
    expect(clock.at(10).ask('bob')).toEqual({ ok: true, value: undefined });
    expect(clock.at(10).ask('bob')).toMatchObject({ ok: false });
  });
});

describe('the slow-down message', () => {
  it('rounds the wait up to whole seconds', () => {
    expect(slowDownMessage(1001)).toBe(
      'You are asking faster than I can look things up. Please wait 2 s and ask again.',
    );
    expect(slowDownMessage(2000)).toContain('Please wait 2 s ');
    expect(slowDownMessage(1500)).toContain('Please wait 2 s ');
  });

  it('asks to wait at least one second', () => {
    expect(slowDownMessage(0)).toContain('Please wait 1 s ');
    expect(slowDownMessage(1)).toContain('Please wait 1 s ');
  });
});
