// Who counts as staff on Discord: a member holding the staff role (DISCORD_STAFF_ROLE_ID) or the staff
// permission (DISCORD_STAFF_PERMISSION, default Manage Server) where they act. Discord itself only hides the
// slash commands from others; a case post's buttons and modals work for anyone who can see the post, so every
// one of them is checked here, on the server, from what the interaction carries: the member's roles and their
// permissions in that channel (Discord's `member.permissions`).
import { type Interaction, PermissionFlagsBits } from 'discord.js';
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
