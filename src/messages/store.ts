// What a person is told when the bot's database could not take what they did: nothing happened, try again.
// (The keys are src/store/trouble.ts's DatabaseTrouble; callers passing one keep the two in step.)
const WHY = {
  unreachable: "the bot's database is not answering",
  full: "the bot's database is out of space",
  'read-only': "the bot's database cannot be written",
} as const;

export const notStored = (trouble: keyof typeof WHY) =>
  `That could not be saved (${WHY[trouble]}), so nothing was sent or changed. Please try again in a minute.`;
