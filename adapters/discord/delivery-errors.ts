// What Discord's errors mean for a delivery: a refusal no retry can fix becomes DeliveryRefused, Discord away (an
// outage, once discord.js's own retries are spent, or no answer at all) PlatformAway; anything else is retried,
// and given up after the outbox's last try.
import { RESTJSONErrorCodes as Code, DiscordAPIError, HTTPError } from 'discord.js';
import { DeliveryRefused, PlatformAway, reasonOf, unreachable } from '../../src/index.js';

/**
 * Discord's refusals no retry can fix: the channel or message is gone, the bot lacks access, the thread is
 * archived or locked, AutoMod blocked the text or the title, the body is invalid, empty or too large, the forum
 * wants a tag.
 */
const FOR_GOOD = new Set<number>([
  Code.UnknownChannel,
  Code.UnknownMessage,
  Code.MissingAccess,
  Code.MissingPermissions,
  Code.InvalidActionOnArchivedThread,
  Code.ThreadLocked,
  Code.MessageWasBlockedByAutomaticModeration,
  Code.TitleWasBlockedByAutomaticModeration,
  Code.InvalidFormBodyOrContentType,
  Code.CannotSendAnEmptyMessage,
  Code.RequestEntityTooLarge,
  Code.TagRequiredToCreateAForumPostInThisChannel,
]);

export function deliveryError(error: unknown): unknown {
  if (error instanceof DiscordAPIError && FOR_GOOD.has(Number(error.code)))
    return new DeliveryRefused(error.message, { cause: error });
  if (error instanceof HTTPError || unreachable(error))
    return new PlatformAway(`Discord: ${reasonOf(error)}`, { cause: error });
  return error;
}
