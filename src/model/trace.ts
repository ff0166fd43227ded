// The stages a relayed message goes through, published on a diagnostics channel (node:diagnostics_channel) for
// whoever listens: the relay benchmark's probe (bench/relay-probe.ts) times each stage from it. Nothing
// listens in production, and then a stage costs one check. A stage names the event (`key`, as the inbox
// records it) or the case, the side and the outbox row, never what anyone wrote.
import { channel } from 'node:diagnostics_channel';

export const RELAY_TRACE_CHANNEL = 'mailsettings:relay';

export type RelayStage =
  /** The platform's event reached the bot (signature checked, body parsed). */
  | 'received'
  /** The platform was told the event was taken (Slack's acknowledgement). */
  | 'acked'
  /** The event's changes and deliveries are committed. */
  | 'stored'
  /** The outbox took a row to deliver. */
  | 'picked'
  /** The side's call for a relayed message starts (the platform's API client takes it). */
  | 'sending';

export interface RelayTrace {
  stage: RelayStage;
  key?: string;
  case?: number;
  target?: string;
  outbox?: number;
  kind?: string;
}

const relay = channel(RELAY_TRACE_CHANNEL);

export function traceRelay(trace: RelayTrace): void {
  if (relay.hasSubscribers) relay.publish(trace);
}
