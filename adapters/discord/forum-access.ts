// What the bot may do in the cases forum, read at start: its roles' permissions and the forum's overwrites,
// combined as Discord combines them (developers/topics/permissions, "Permission Overwrites"), so a forum the
// bot cannot post in turns support cases off with one line instead of confirming cases nobody will see. Its
// server is the staff's: staff act there only.
import { PermissionFlagsBits, type REST, Routes } from 'discord.js';

/** What cases cannot do without: see the forum, start posts, write in them, show the card, read it back. */
const NEEDED = {
  'View Channel': PermissionFlagsBits.ViewChannel,
  'Create Posts (Send Messages)': PermissionFlagsBits.SendMessages,
  'Send Messages in Posts': PermissionFlagsBits.SendMessagesInThreads,
  'Embed Links': PermissionFlagsBits.EmbedLinks,
  'Read Message History': PermissionFlagsBits.ReadMessageHistory,
};

interface Overwrite {
  id: string;
  type: number;
  allow: string;
  deny: string;
}

/**
 * The forum's server, where staff act (staff-access.ts), and the permissions cases need that the bot lacks
 * there (none: all is well). No server: the channel is not a server's.
 */
export async function forumAccess(
  rest: REST,
  forumId: string,
): Promise<{ server?: string; missing: string[] }> {
  const forum = (await rest.get(Routes.channel(forumId))) as {
    guild_id?: string;
    permission_overwrites?: Overwrite[];
  };
  const server = forum.guild_id;
  if (!server) return { missing: [] };
  const me = (await rest.get(Routes.user('@me'))) as { id: string };
  const guild = (await rest.get(Routes.guild(server))) as {
    owner_id: string;
    roles: { id: string; permissions: string }[];
  };
  const member = (await rest.get(Routes.guildMember(server, me.id))) as { roles: string[] };
  if (guild.owner_id === me.id) return { server, missing: [] };
  const held = permissionsIn(server, me.id, guild.roles, member.roles, forum.permission_overwrites ?? []);
  const missing = Object.entries(NEEDED)
    .filter(([, flag]) => (held & flag) !== flag)
    .map(([name]) => name);
  return { server, missing };
}

function permissionsIn(
  guildId: string,
  userId: string,
  roles: { id: string; permissions: string }[],
  memberRoles: string[],
  overwrites: Overwrite[],
): bigint {
  const ofRole = (id: string) => BigInt(roles.find((role) => role.id === id)?.permissions ?? '0');
  let held = [guildId, ...memberRoles].reduce((bits, id) => bits | ofRole(id), 0n);
  if (held & PermissionFlagsBits.Administrator) return ~0n;
  const apply = (matching: Overwrite[]) => {
    const deny = matching.reduce((bits, overwrite) => bits | BigInt(overwrite.deny), 0n);
    const allow = matching.reduce((bits, overwrite) => bits | BigInt(overwrite.allow), 0n);
    held = (held & ~deny) | allow;
  };
  apply(overwrites.filter((overwrite) => overwrite.id === guildId));
  apply(overwrites.filter((overwrite) => overwrite.type === 0 && memberRoles.includes(overwrite.id)));
  apply(overwrites.filter((overwrite) => overwrite.type === 1 && overwrite.id === userId));
  return held;
}
