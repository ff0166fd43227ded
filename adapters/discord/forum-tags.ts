// The cases forum's status tags (New, Claimed, Waiting on customer, Resolved), read at start: the first call to
// Discord when cases are on, so a refused token or an unreachable Discord is named here as the login would name
// it. Missing tags are added when the bot may manage the channel; otherwise the card alone shows the status.
import { DiscordAPIError, type REST, Routes } from 'discord.js';
import { type CaseView, type Logger, StartError } from '../../src/index.js';
import { STATUS_NAMES } from './card-render.js';
import { discordStartFailure } from './client.js';

interface ApiForum {
  type?: number;
  available_tags?: { id: string; name: string }[];
}

/**
 * The tag id for each status, by name; missing tags are added when the bot may manage the channel. This is
 * the first call to Discord when cases are on, so a refused token or an unreachable Discord is named here as
 * the login would name it.
 */
export async function statusTags(
  rest: REST,
  forumId: string,
  log: Logger,
): Promise<Partial<Record<CaseView['status'], string>>> {
  let forum: ApiForum;
  try {
    forum = (await rest.get(Routes.channel(forumId))) as ApiForum;
  } catch (error) {
    if (!(error instanceof DiscordAPIError) || error.status === 401)
      throw new StartError(discordStartFailure(error, rest.options.api), { cause: error });
    throw new StartError(
      `DISCORD_CASES_CHANNEL_ID ${forumId} cannot be read (${error.message}): give the bot access to that forum channel.`,
      { cause: error },
    );
  }
  if (forum.type !== 15) {
    throw new StartError(
      `DISCORD_CASES_CHANNEL_ID ${forumId} is not a forum channel: create a forum channel for cases.`,
    );
  }
  const find = (available: ApiForum['available_tags']) =>
    Object.fromEntries(
      Object.entries(STATUS_NAMES).flatMap(([status, name]) => {
        const tag = available?.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
        return tag ? [[status, tag.id]] : [];
      }),
    ) as Partial<Record<CaseView['status'], string>>;
  const found = find(forum.available_tags);
  const missing = Object.entries(STATUS_NAMES).filter(([status]) => !(status in found));
  if (missing.length === 0) return found;
  try {
    const available = [...(forum.available_tags ?? []), ...missing.map(([, name]) => ({ name }))];
    const updated = (await rest.patch(Routes.channel(forumId), {
      body: { available_tags: available },
    })) as ApiForum;
    return find(updated.available_tags);
  } catch (error) {
    log.warn(
      'discord: the cases forum lacks status tags: create them in its settings, or give the bot Manage Channels there; until then only the case card shows the status',
      {
        missing: missing.map(([, name]) => name),
        refused: error instanceof DiscordAPIError ? `${error.message} (${error.code})` : String(error),
      },
    );
    return found;
  }
}
