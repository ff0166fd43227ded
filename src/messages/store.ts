// What a person is told when the bot's database could not take what they did: nothing happened, try again.
import type { DatabaseTrouble } from '../store/trouble.js';

const WHY: Record<DatabaseTrouble, string> = {
  unreachable: "the bot's database is not answering",
  full: "the bot's database is out of space",
  'read-only': "the bot's database cannot be written",
};

export const notStored = (trouble: DatabaseTrouble) =>
  `That could not be saved (${WHY[trouble]}), so nothing was sent or changed. Please try again in a minute.`;
