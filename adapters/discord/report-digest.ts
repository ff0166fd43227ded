// The weekly digest's delivery on Discord: the report's message (report-render.ts) posted in the report
// channel (DISCORD_REPORT_CHANNEL_ID) through the REST client, which honours Discord's rate limits. When it is
// sent is the core's (src/cases/digest.ts).
import { type REST, Routes } from 'discord.js';
import { type Logger, type Report, reportWords } from '../../src/index.js';
import { reportMessage } from './report-render.js';

export function discordDigestSender(rest: REST, channelId: string, log: Logger) {
  return async (report: Report): Promise<void> => {
    const { files, ...body } = await reportMessage(report, reportWords.DIGEST_TITLE, (line) =>
      log.warn(line),
    );
    await rest.post(Routes.channelMessages(channelId), { body, files });
  };
}
