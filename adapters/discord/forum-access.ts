// What the bot may do in the cases forum, read at start: its roles' permissions and the forum's overwrites,
// combined as Discord combines them (developers/topics/permissions, "Permission Overwrites"), so a forum the
// bot cannot post in turns support cases off with one line instead of confirming cases nobody will see.
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

/** The permissions cases need that the bot lacks in the forum (none: all is well). */
export async function missingForumPermissions(rest: REST, forumId: string): Promise<string[]> {
  const forum = (await rest.get(Routes.channel(forumId))) as {
    guild_id?: string;
    permission_overwrites?: Overwrite[];
  };
  if (!forum.guild_id) return [];
  const me = (await rest.get(Routes.user('@me'))) as { id: string };
  const guild = (await rest.get(Routes.guild(forum.guild_id))) as {
    owner_id: string;
    roles: { id: string; permissions: string }[];
  };
  const member = (await rest.get(Routes.guildMember(forum.guild_id, me.id))) as { roles: string[] };
  if (guild.owner_id === me.id) return [];
  const held = permissionsIn(
    forum.guild_id,
    me.id,
    guild.roles,
    member.roles,
    forum.permission_overwrites ?? [],
  );
  return Object.entries(NEEDED)
    .filter(([, flag]) => (held & flag) !== flag)
    .map(([name]) => name);
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
