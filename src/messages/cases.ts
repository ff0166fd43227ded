// Every sentence the case relay says, on either side. `question` is the question as described for people
// ("example.com (POP)", see describeQuestion in src/cases/case-view.ts).

export const caseOpened = (customer: string, question: string) =>
  `${customer} asked for help with ${question}. Our support team will reply in this thread.`;
export const resolvedBy = (staff: string) => `Resolved by ${staff}. Did this help?`;
export const settingsSent = (staff: string, question: string) =>
  `${staff} sent the settings for ${question} to the customer.`;
export const rated = (customer: string, helpful: boolean) =>
  `${customer} rated the help: ${helpful ? 'helpful' : 'not helpful'}.`;
export const reopened = (customer: string) => `${customer} wrote again: the case is open again.`;
/** `side`: the customer side's name ("Slack"), so staff know who answered `error`. */
export const notDeliveredYet = (what: string, side: string, error: string) =>
  `Not delivered to the customer yet: ${what} (${side}: ${error}). The bot keeps trying.`;
export const refusedForGood = (what: string, side: string, error: string) =>
  `Could not be delivered to the customer: ${what} (${side}: ${error}). Reach them another way.`;
export const deliveredNow = (what: string) => `Delivered to the customer now: ${what}.`;
export const waitingSince = (minutes: number) =>
  `This case has been waiting ${minutes} minutes for someone to claim it.`;

// What the customer is told, privately, when they press "Ask a person" or rate the help.
export const REQUEST_OPENED =
  'Thanks: our support team has your question and will reply in the thread of the message above.';
export const REQUEST_SAVED =
  'Thanks: your question is saved and our support team will reply in a thread here shortly.';
export const ALREADY_OPEN =
  'You already have an open question here: our support team will reply in its thread.';
export const CANNOT_POST =
  'I cannot post in this conversation, so I cannot pass your question on from here. Invite me with /invite @mailsettings, or write to me directly.';
export const ONLY_THE_ASKER = 'Only the person who asked can rate this.';
export const thanksForRating = (staff: string) => `Resolved by ${staff}. Thank you for your feedback.`;
/** `side`: where the file stays ("Slack"). */
export const fileAttached = (name: string, side: string, where: string) =>
  `(Attached a file, ${name}: see it in ${side} at ${where})`;
