// What replaces a deferred reply. A deferral shared with the channel (share:true) may end in a line instead of
// the answer (a problem, a refusal, an apology): that stays for the asker alone, as when it comes at once, so
// the public "thinking…" message is deleted and the line follows privately.
import { type ChatInputCommandInteraction, type InteractionReplyOptions, MessageFlags } from 'discord.js';

export async function replaceDeferral(
  interaction: ChatInputCommandInteraction,
  message: Pick<InteractionReplyOptions, 'content' | 'embeds' | 'components' | 'allowedMentions'>,
  privately: boolean,
): Promise<void> {
  if (!privately) {
    await interaction.editReply(message);
    return;
  }
  await interaction.deleteReply();
  await interaction.followUp({ ...message, flags: MessageFlags.Ephemeral });
}
