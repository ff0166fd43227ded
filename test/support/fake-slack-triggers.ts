// Trigger ids as Slack issues them with each interaction (a button press, a submission): in the form
// "12345.98765.abcd2358fdea", good for one views.open within 3 seconds (views.open: invalid_trigger_id,
// exchanged_trigger_id, expired_trigger_id).
import { randomBytes } from 'node:crypto';

/** How long Slack honours a trigger id after the interaction that carried it. */
export const TRIGGER_LIFETIME_MS = 3000;
const FORMAT = /^\d+\.\d+\.[0-9a-f]+$/;
const issued = new Map<string, { user: string; name: string; at: number; used: boolean }>();

/**
 * A trigger id for an interaction by `user` (`name`: their username, as interaction payloads carry it); `at`
 * earlier than now makes one that has already expired.
 */
export function issueTrigger(user: string, at = Date.now(), name = 'customer'): string {
  const id = `${at}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
  issued.set(id, { user, name, at, used: false });
  return id;
}

/** Exchanges a trigger id for the user it was issued to, or says why Slack would refuse it. */
export function exchangeTrigger(
  id: string,
): { ok: true; user: string; name: string } | { ok: false; error: string } {
  const trigger = issued.get(id);
  if (!FORMAT.test(id) || !trigger) return { ok: false, error: 'invalid_trigger_id' };
  if (trigger.used) return { ok: false, error: 'exchanged_trigger_id' };
  if (Date.now() - trigger.at > TRIGGER_LIFETIME_MS) return { ok: false, error: 'expired_trigger_id' };
  trigger.used = true;
  return { ok: true, user: trigger.user, name: trigger.name };
}
