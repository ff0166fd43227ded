// Who counts as staff on Discord: a member holding the staff role (DISCORD_STAFF_ROLE_ID) or the staff
// permission (DISCORD_STAFF_PERMISSION, default Manage Server) where they act. Discord itself only hides the
// slash commands from others; a case post's buttons and modals work for anyone who can see the post, so every
// one of them is checked here, on the server, from what the interaction carries: the member's roles and their
// permissions in that channel (Discord's `member.permissions`). A member chosen in a menu is checked the same.
// Only in the staff's own server, the cases forum's: the bot may be in other servers (commands registered
// globally show wherever it is added), and there whoever owns the server holds every permission.
import {
  type APIGuildMember,
  GuildMember,
  type Interaction,
  PermissionFlagsBits,
  PermissionsBitField,
} from 'discord.js';
import type { DiscordConfig } from './config.js';

export interface StaffAccess {
  /** The staff's server (the cases forum's): interactions from any other are refused. Unknown: nobody is staff. */
  server?: string;
  roleId?: string;
  permission: bigint;
  /** The lead role (DISCORD_LEAD_ROLE_ID): the report and forgetting a customer are theirs, when it is set. */
  leadRoleId?: string;
}

export function staffAccessOf(
  config: Partial<
    Pick<DiscordConfig, 'DISCORD_STAFF_ROLE_ID' | 'DISCORD_STAFF_PERMISSION' | 'DISCORD_LEAD_ROLE_ID'>
  >,
  server?: string,
): StaffAccess {
  const flags: Record<string, bigint> = PermissionFlagsBits;
  return {
    ...(server ? { server } : {}),
    permission: flags[config.DISCORD_STAFF_PERMISSION ?? 'ManageGuild'] ?? PermissionFlagsBits.ManageGuild,
    ...(config.DISCORD_STAFF_ROLE_ID ? { roleId: config.DISCORD_STAFF_ROLE_ID } : {}),
    ...(config.DISCORD_LEAD_ROLE_ID ? { leadRoleId: config.DISCORD_LEAD_ROLE_ID } : {}),
  };
}

/** Staff: in the staff's server, with the role or the permission (Administrator includes every permission). */
export function isStaff(interaction: Interaction, access: StaffAccess): boolean {
  if (!inStaffServer(interaction, access)) return false;
  return interaction.memberPermissions?.has(access.permission) || hasRole(interaction, access.roleId);
}

/** The lead: with the lead role (or Administrator) when DISCORD_LEAD_ROLE_ID is set; otherwise any staff. */
export function isLead(interaction: Interaction, access: StaffAccess): boolean {
  if (!access.leadRoleId) return isStaff(interaction, access);
  if (!inStaffServer(interaction, access)) return false;
  return (
    interaction.memberPermissions?.has(PermissionFlagsBits.Administrator) ||
    hasRole(interaction, access.leadRoleId)
  );
}

function inStaffServer(
  interaction: Interaction,
  access: StaffAccess,
): interaction is Interaction<'cached' | 'raw'> {
  return interaction.inGuild() && access.server !== undefined && interaction.guildId === access.server;
}

function hasRole(interaction: Interaction<'cached' | 'raw'>, roleId: string | undefined): boolean {
  if (!roleId) return false;
  const roles = interaction.member.roles;
  return Array.isArray(roles) ? roles.includes(roleId) : roles.cache.has(roleId);
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

/**
 * Staff ask as staff: the members isStaff counts, in the cases forum's server. Anyone else (elsewhere the bot may
 * be in other servers, whose owners hold every permission there; in the staff's server, a member whom an admin
 * let use the command) asks as a customer would: the customer's view, a live check only if customers may.
 * Without cases there is no staff server, and whoever may use the command is staff.
 */
export const audienceOf = (interaction: Interaction, deps: { staffServer?: string; staff?: StaffAccess }) =>
  deps.staffServer === undefined || isStaff(interaction, deps.staff ?? staffAccessOf({}, deps.staffServer))
    ? 'staff'
    : 'customer';
