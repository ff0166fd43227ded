// Whether a command was asked in a case's post, where answers stay private and offer "Send to customer": asked of
// the case store, waited for at most CASE_LOOKUP_MS. Unknown (the database slow or away) counts as no: the
// answer itself needs no database, and Discord gives it 3 s.
import type { Interaction } from 'discord.js';
import { type Logger, reasonOf, withTimeout } from '../../src/index.js';
import { postRef } from './refs.js';

const CASE_LOOKUP_MS = 1000;

interface CaseLookup {
  findByStaffThread(staffThread: string): Promise<unknown>;
}

export async function inCasePost(
  interaction: Interaction,
  cases: CaseLookup | undefined,
  log: Logger,
): Promise<boolean> {
  const channel = interaction.channelId;
  if (!cases || !channel) return false;
  const lookup = cases.findByStaffThread(postRef(channel)).then(
    (found) => found !== undefined,
    (error: unknown) => {
      log.warn('discord: could not tell whether a command was asked in a case post', {
        channel,
        reason: reasonOf(error),
      });
      return false;
    },
  );
  return withTimeout(lookup, CASE_LOOKUP_MS, () => false);
}
