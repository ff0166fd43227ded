// How Slack's places, threads and messages are named for the case core, which keeps them as opaque text:
// `slack:<channel>` where a customer asked, `slack:<channel>:<ts>` for a thread (its first message's ts) or a
// message. Migration 0003 (src/store/migration-0003-by-roles.ts) rewrote older cases in this form.

export const placeRef = (channel: string) => `slack:${channel}`;
export const messageRef = (channel: string, ts: string) => `slack:${channel}:${ts}`;
/** A thread is named by its first message. */
export const threadRef = messageRef;

/** The channel (and ts) a reference names. */
export function readRef(ref: string): { channel: string; ts?: string } {
  const [, channel = '', ts] = ref.split(':');
  return ts ? { channel, ts } : { channel };
}
