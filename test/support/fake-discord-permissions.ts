// A member's permissions in a channel, computed as Discord computes them
// (https://discord.com/developers/docs/topics/permissions#permission-overwrites): the server's owner has them
// all; otherwise @everyone's and the member's roles' permissions (Administrator means all), then the channel's
// overwrites for @everyone, for the member's roles, and for the member itself (a thread uses its parent's).
// The fake refuses what Discord would refuse the bot with 403 Missing Permissions, and sends members chosen in
// a user select with these permissions, as Discord resolves them.
import { PermissionFlagsBits } from 'discord.js';
import { APPLICATION_ID, type Json } from './fake-discord-objects.js';

export interface PermissionState {
  guildId: string;
  /** The guild's roles, @everyone (id = the guild's) first. */
  roles: Json[];
  botRoles: string[];
  channels: Map<string, Json>;
  /** The guild's owner, who holds every permission. */
  ownerId?: string;
}

/** Every permission there is, as one bitfield (what the owner and an Administrator hold). */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((bits, bit) => bits | bit, 0n);

export function permissionsIn(
  state: PermissionState,
  member: { id: string; roles: string[] },
  channel: Json,
): bigint {
  if (member.id === state.ownerId) return ALL_PERMISSIONS;
  const role = (id: string) => state.roles.find((candidate) => candidate.id === id);
  let allowed = [state.guildId, ...member.roles].reduce(
    (bits, id) => bits | BigInt(String(role(id)?.permissions ?? '0')),
    0n,
  );
  if (allowed & PermissionFlagsBits.Administrator) return ALL_PERMISSIONS;
  const parent = channel.parent_id ? state.channels.get(String(channel.parent_id)) : undefined;
  const overwrites = ((channel.thread_metadata ? parent : channel)?.permission_overwrites ?? []) as Json[];
  const apply = (matching: Json[]) => {
    const deny = matching.reduce((bits, overwrite) => bits | BigInt(String(overwrite.deny)), 0n);
    const allow = matching.reduce((bits, overwrite) => bits | BigInt(String(overwrite.allow)), 0n);
    allowed = (allowed & ~deny) | allow;
  };
  apply(overwrites.filter((overwrite) => overwrite.id === state.guildId));
  apply(
    overwrites.filter((overwrite) => overwrite.type === 0 && member.roles.includes(String(overwrite.id))),
  );
  apply(overwrites.filter((overwrite) => overwrite.type === 1 && overwrite.id === member.id));
  return allowed;
}

export const botPermissionsIn = (state: PermissionState, channel: Json): bigint =>
  permissionsIn({ ...state, ownerId: undefined }, { id: APPLICATION_ID, roles: state.botRoles }, channel);

/** Whether the bot holds every one of `needed` in the channel. */
export const botMay = (state: PermissionState, channel: Json, needed: bigint): boolean =>
  (botPermissionsIn(state, channel) & needed) === needed;
