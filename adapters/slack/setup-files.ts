// Sends the Apple profile that goes with an answer as a file (files.uploadV2): into the conversation a
// public answer went to, or, for a private answer, into the asker's direct messages with the bot, the one
// place only they see (an ephemeral message cannot carry a file). Uploading needs files:write, and opening
// that direct conversation im:write (conversations.open); without them the answer carries the file as text
// (setup-render.ts), so what the bot can do is decided once, from the scopes auth.test reported.
import type { webApi } from '@slack/bolt';
import type { Logger, Responder, Saying, SetupFile, SetupOffer } from '../../src/index.js';
import { onPhones, type ProfileAs } from './setup-render.js';

/** Where a file goes: a conversation (and thread), or a person's direct messages with the bot. */
export type FileTarget = { channel: string; threadTs?: string } | { user: string };

/** How the answer's profile travels to `target`, given the bot token's scopes. */
export function profileAsFor(target: FileTarget, scopes: readonly string[]): ProfileAs {
  const needs = 'user' in target ? ['files:write', 'im:write'] : ['files:write'];
  if (!needs.every((scope) => scopes.includes(scope))) return 'text';
  return 'user' in target ? 'direct-message' : 'here';
}

/**
 * The responder, which then also uploads the profile of an answer it sent, when files go out as files. An
 * upload that fails is logged: the answer was given, and its set-up page link still has the profile.
 */
export function withProfileUpload(
  responder: Responder,
  upload: { client: webApi.WebClient; target: FileTarget; scopes: readonly string[]; log: Logger },
): Responder {
  if (profileAsFor(upload.target, upload.scopes) === 'text') return responder;
  const after =
    (send: Responder['answer']): Responder['answer'] =>
    async (saying) => {
      await send(saying);
      const setup = setupOf(saying);
      const file = setup?.profile?.ok ? setup.profile.value : undefined;
      if (!file) return;
      await sendFile(upload.client, file, setup?.link, upload.target).catch((error: unknown) =>
        upload.log.warn('slack: could not send the Apple profile', { file: file.name, error }),
      );
    };
  return { ...responder, answer: after(responder.answer), replace: after(responder.replace) };
}

/** The set-up offer of an answer to the asker (a shared copy sends no file: it has the link). */
function setupOf({ said }: Saying): SetupOffer | undefined {
  return said.kind === 'answer' || said.kind === 'checked' ? said.setup : undefined;
}

async function sendFile(
  client: webApi.WebClient,
  file: SetupFile,
  link: string | undefined,
  target: FileTarget,
): Promise<void> {
  const upload = {
    content: file.content,
    filename: file.name,
    title: file.name,
    initial_comment: `Your Apple profile: open it on the Mac and install it in System Settings (search for “Profiles”). ${onPhones(link)}`,
  };
  if ('user' in target)
    await client.files.uploadV2({ ...upload, channel_id: await directChannel(client, target.user) });
  else if (target.threadTs)
    await client.files.uploadV2({ ...upload, channel_id: target.channel, thread_ts: target.threadTs });
  else await client.files.uploadV2({ ...upload, channel_id: target.channel });
}

/** The direct conversation between the bot and a person (files.completeUploadExternal takes no user ids). */
async function directChannel(client: webApi.WebClient, user: string): Promise<string> {
  const opened = await client.conversations.open({ users: user });
  const id = opened.channel?.id;
  if (!id) throw new Error(`conversations.open gave no channel for ${user}`);
  return id;
}
