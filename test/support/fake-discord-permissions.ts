// The bot's permissions in a channel, computed as Discord computes them for every request
// (https://discord.com/developers/docs/topics/permissions#permission-overwrites): @everyone's and the bot's
// roles' permissions, then the channel's overwrites for @everyone, for the bot's roles, and for the bot itself
// (a thread uses its parent's). The fake refuses what Discord would refuse with 403 Missing Permissions.
import { PermissionFlagsBits } from 'discord.js';
import { APPLICATION_ID, type Json } from './fake-discord-objects.js';

export interface PermissionState {
  guildId: string;
  /** The guild's roles, @everyone (id = the guild's) first. */
  roles: Json[];
  botRoles: string[];
  channels: Map<string, Json>;
}

export function botPermissionsIn(state: PermissionState, channel: Json): bigint {
  const role = (id: string) => state.roles.find((candidate) => candidate.id === id);
  let allowed = [state.guildId, ...state.botRoles].reduce(
    (bits, id) => bits | BigInt(String(role(id)?.permissions ?? '0')),
    0n,
  );
  if (allowed & PermissionFlagsBits.Administrator) return ~0n;
  const parent = channel.parent_id ? state.channels.get(String(channel.parent_id)) : undefined;
  const overwrites = ((channel.thread_metadata ? parent : channel)?.permission_overwrites ?? []) as Json[];
  const apply = (matching: Json[]) => {
    const deny = matching.reduce((bits, overwrite) => bits | BigInt(String(overwrite.deny)), 0n);
    const allow = matching.reduce((bits, overwrite) => bits | BigInt(String(overwrite.allow)), 0n);
    allowed = (allowed & ~deny) | allow;
  };
  apply(overwrites.filter((overwrite) => overwrite.id === state.guildId));
  apply(
    overwrites.filter((overwrite) => overwrite.type === 0 && state.botRoles.includes(String(overwrite.id))),
  );
  apply(overwrites.filter((overwrite) => overwrite.type === 1 && overwrite.id === APPLICATION_ID));
  return allowed;
}

/** Whether the bot holds every one of `needed` in the channel. */
export const botMay = (state: PermissionState, channel: Json, needed: bigint): boolean =>
  (botPermissionsIn(state, channel) & needed) === needed;
