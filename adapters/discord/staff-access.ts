// Who counts as staff on Discord: a member holding the staff role (DISCORD_STAFF_ROLE_ID) or the staff
// permission (DISCORD_STAFF_PERMISSION, default Manage Server) where they act. Discord itself only hides the
// slash commands from others; a case post's buttons and modals work for anyone who can see the post, so every
// one of them is checked here, on the server, from what the interaction carries: the member's roles and their
// permissions in that channel (Discord's `member.permissions`). A member chosen in a menu is checked the same.
import {
  type APIGuildMember,
  GuildMember,
  type Interaction,
  PermissionFlagsBits,
  PermissionsBitField,
} from 'discord.js';
import type { DiscordConfig } from './config.js';

export interface StaffAccess {
  roleId?: string;
  permission: bigint;
}

export function staffAccessOf(
  config: Partial<Pick<DiscordConfig, 'DISCORD_STAFF_ROLE_ID' | 'DISCORD_STAFF_PERMISSION'>>,
): StaffAccess {
  const flags: Record<string, bigint> = PermissionFlagsBits;
  return {
    permission: flags[config.DISCORD_STAFF_PERMISSION ?? 'ManageGuild'] ?? PermissionFlagsBits.ManageGuild,
    ...(config.DISCORD_STAFF_ROLE_ID ? { roleId: config.DISCORD_STAFF_ROLE_ID } : {}),
  };
}

/** Staff: in a server, with the role or the permission (Administrator includes every permission). */
export function isStaff(interaction: Interaction, access: StaffAccess): boolean {
  if (!interaction.inGuild()) return false;
  if (interaction.memberPermissions?.has(access.permission)) return true;
  const roles = interaction.member.roles;
  if (!access.roleId) return false;
  return Array.isArray(roles) ? roles.includes(access.roleId) : roles.cache.has(access.roleId);
}

/**
 * A member someone chose (to hand a case to), read from the interaction's resolved members: staff by the role,
 * or by the permission in that channel (discord.js works it out from the roles and the channel's overwrites
 * when it knows the server; else Discord's own `permissions` of the resolved member). Never a bot.
 */
export function isStaffMember(
  member: GuildMember | APIGuildMember,
  channelId: string | null,
  access: StaffAccess,
): boolean {
  if (member instanceof GuildMember) {
    if (member.user.bot) return false;
    if (access.roleId && member.roles.cache.has(access.roleId)) return true;
    const channel = channelId ? member.guild.channels.resolve(channelId) : null;
    return (channel ? member.permissionsIn(channel) : member.permissions).has(access.permission);
  }
  if (member.user?.bot) return false;
  if (access.roleId && member.roles.includes(access.roleId)) return true;
  const { permissions } = member as { permissions?: string };
  return (
    /^\d+$/.test(permissions ?? '') &&
    new PermissionsBitField(BigInt(permissions ?? 0)).has(access.permission)
  );
}
