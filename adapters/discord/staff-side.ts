// The staff's side of a support case, over Discord's REST API: a forum post per case in the cases channel
// (https://discord.com/developers/docs/resources/channel#start-thread-in-forum-or-media-channel) with the
// status as the post's tag, the customer's messages copied in as they are written (edits followed,
// deletions marked), notes from the bot, and one reminder that mentions the staff role. discord.js's REST
// client honours Discord's rate-limit headers; what Discord's errors mean for the outbox: delivery-errors.ts.
import { MessageFlags, type REST, Routes } from 'discord.js';
import { type CaseView, clip, type DeliveryKey, type Logger, type StaffSide } from '../../src/index.js';
import { caseCardMessage } from './card-render.js';
import {
  customerMessageContents,
  MAX_CONTENT,
  mentioning,
  noteContent,
  noteMessage,
  postName,
  reminderMessage,
  staffReplyMessage,
} from './case-render.js';
import { deliveryError } from './delivery-errors.js';
import { MAX_FIELD_VALUE } from './embeds.js';
import { escapeDiscordText } from './escape.js';
import { statusTags } from './forum-tags.js';
import { copyIds, copyRef, postRef, threadIdOf } from './refs.js';

export interface StaffSideOptions {
  /** The forum channel (DISCORD_CASES_CHANNEL_ID). */
  forumId: string;
  /** The role a reminder mentions when nobody has the case (DISCORD_STAFF_ROLE_ID). */
  staffRoleId?: string;
  /** The role told when a target is missed (DISCORD_LEAD_ROLE_ID); without it, the staff role. */
  leadRoleId?: string;
  log: Logger;
}

const NO_MENTIONS = { parse: [] };

interface ApiMessage {
  id: string;
  content?: string;
  embeds?: unknown[];
}

/** Discord makes a message sent with this once, answering a resend with the message made (Create Message). */
const once = (nonce: DeliveryKey) => ({ nonce, enforce_nonce: true });

/** Reads the forum's tags (adding the status tags it lacks, when allowed), then serves the cases. */
export async function discordStaffSide(rest: REST, options: StaffSideOptions): Promise<StaffSide> {
  const tags = await statusTags(rest, options.forumId, options.log);
  const call = async <T>(send: () => Promise<unknown>): Promise<T> => {
    try {
      return (await send()) as T;
    } catch (error) {
      throw deliveryError(error);
    }
  };
  const threadOf = (view: CaseView) => {
    if (!view.staffThread) throw new Error(`case ${view.id} has no forum post yet`);
    return threadIdOf(view.staffThread);
  };
  /**
   * A customer's words ping nobody, and their links stay links in the post, never previews: a page of theirs
   * would show its own title, words and picture under the bot's name.
   */
  const NO_PREVIEWS = { flags: MessageFlags.SuppressEmbeds, allowed_mentions: NO_MENTIONS };
  /** A message in the post, made once however often it is sent: Discord answers again the one with its nonce. */
  const postIn = (view: CaseView, body: object, nonce: DeliveryKey) =>
    call<ApiMessage>(() =>
      rest.post(Routes.channelMessages(threadOf(view)), { body: { ...body, ...once(nonce) } }),
    );
  const edit = (view: CaseView, id: string, body: object) =>
    call<ApiMessage>(() => rest.patch(Routes.channelMessage(threadOf(view), id), { body }));

  return {
    name: 'Discord',
    async createPost(view, key) {
      const thread = await call<{ id: string }>(() =>
        rest.post(Routes.threads(options.forumId), {
          body: {
            name: postName(view),
            message: caseCardMessage(view),
            ...(tags[view.status] ? { applied_tags: [tags[view.status]] } : {}),
          },
        }),
      );
      // Words the card's field cannot hold whole (markup doubles when escaped) follow it in full. The post
      // stands without them: a failure here is said in the log, not retried (that would make the post again).
      const words = view.customerWords;
      if (words && escapeDiscordText(words).length > MAX_FIELD_VALUE)
        for (const [n, content] of customerMessageContents({
          author: view.customerName,
          text: words,
        }).entries())
          await call(() =>
            rest.post(Routes.channelMessages(thread.id), {
              body: { content, ...NO_PREVIEWS, ...once(`${key}.${n}`) },
            }),
          ).catch((error: unknown) =>
            options.log.warn('cases: the words after the card were not posted', { case: view.id, error }),
          );
      return postRef(thread.id);
    },
    async updateStatus(view) {
      const thread = threadOf(view);
      const tag = tags[view.status];
      const post = tag
        ? await call<{ name?: string }>(() =>
            rest.patch(Routes.channel(thread), { body: { applied_tags: [tag] } }),
          )
        : undefined;
      // The title follows the case only when it changed (a customer forgotten): Discord allows few renames.
      if (post?.name !== undefined && post.name !== postName(view))
        await call(() => rest.patch(Routes.channel(thread), { body: { name: postName(view) } }));
      // The card is the post's first message, whose id is the thread's; it is drawn again from the view, its
      // buttons too (Check again, Answer all follow what the card shows).
      const { embeds, components } = caseCardMessage(view);
      await edit(view, thread, { embeds, components });
    },
    async postCustomerMessage(view, message, parts) {
      // One message at a time, each but the last recorded as it is posted (the last is recorded with the
      // delivery): a retry never posts a part twice.
      const ids = [...parts.done];
      const contents = customerMessageContents(message);
      for (const content of contents.slice(ids.length)) {
        const ping = ids.length === 0 ? message.ping : undefined;
        const body = { content, ...NO_PREVIEWS, allowed_mentions: mentioning(ping) };
        const posted = await postIn(view, body, `${parts.key}.${ids.length}`);
        ids.push(posted.id);
        if (ids.length < contents.length) await parts.record(posted.id);
      }
      return copyRef(ids);
    },
    async editCustomerMessage(view, copy, message, key) {
      const ids = copyIds(copy);
      const { ping: _, ...unpinged } = message; // an edit pings nobody again
      const contents = customerMessageContents(unpinged);
      const kept: string[] = [];
      for (const [index, content] of contents.entries()) {
        const id = ids[index];
        const body = { content, ...NO_PREVIEWS };
        kept.push(id ? (await edit(view, id, body)).id : (await postIn(view, body, `${key}.${index}`)).id);
      }
      for (const id of ids.slice(contents.length)) {
        await edit(view, id, {
          content: noteContent('(shortened by an edit in Slack)'),
          allowed_mentions: NO_MENTIONS,
        });
      }
      return copyRef(kept);
    },
    async markDeleted(view, copy) {
      for (const id of copyIds(copy)) {
        const message = await call<ApiMessage>(() => rest.get(Routes.channelMessage(threadOf(view), id)));
        const mark = `~~\n${noteContent('(deleted in Slack)')}`;
        const content = `~~${clip(message.content ?? '', MAX_CONTENT - mark.length - 2)}${mark}`; // the mark fits
        await edit(view, id, { content, allowed_mentions: NO_MENTIONS });
      }
    },
    async postNote(view, text, ping, key) {
      await postIn(view, noteMessage(text, ping), key);
    },
    async postSent(view, sent, key) {
      const { allowedMentions, ...record } = staffReplyMessage(sent.author, sent.text, {
        from: `<#${threadIdOf(sent.from)}>`,
      });
      await postIn(view, { ...record, allowed_mentions: allowedMentions }, key);
    },
    async remind(view, reminder, key) {
      await postIn(view, reminderMessage(reminder, options), key);
    },
  };
}
