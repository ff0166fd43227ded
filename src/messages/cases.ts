// Every sentence the case relay says, on either side. `question` is the question as described for people
// ("example.com (POP)", see describeQuestion in src/cases/case-view.ts); `id` is the case's number, which the
// customer can quote. Names are plain text here: each side escapes them for its own markup.

// In the customer's thread. The customer's side mentions the customer before each line meant for them.
/** The visible message that starts the case's thread: posted only once staff can see the case. */
export const caseOpened = (question: string, id: number) =>
  `asked for help with ${question}: case ${id}. Our support team has it and will reply in this thread.`;
export const claimedNotice = (staff: string, id: number) =>
  `${staff} from our support team is looking at your question (case ${id}).`;
export const resolvedBy = (staff: string, id: number) => `Resolved by ${staff} (case ${id}). Did this help?`;
export const stillNeedHelp = (id: number, closesIn: string) =>
  `Do you still need help with case ${id}? Just reply here. If I do not hear from you, I will close it in ${closesIn}.`;
export const autoClosed = (id: number) =>
  `I closed case ${id} because I did not hear back. If you still need help, just write here and it opens again.`;
/** Said when someone asks a person while the team is away. */
export const awayUntil = (back: string) => `Our support team is away until ${back} and will reply then.`;
export const notPassedOn = (what: string, error: string) =>
  `Your message ${what} did not reach our support team (${error}). Please write it again in other words, or reach us another way.`;

// In the staff post.
/** Posted as the settings go out: the outbox's notices say if they do not arrive. */
export const settingsSent = (staff: string, question: string) =>
  `${staff} is sending the settings for ${question} to the customer.`;
export const rated = (customer: string, helpful: boolean) =>
  `${customer} rated the help: ${helpful ? 'helpful' : 'not helpful'}.`;
export const reopened = (customer: string) => `${customer} wrote again: the case is open again.`;
export const tookOver = (staff: string, previous: string) => `${staff} took this case over from ${previous}.`;
export const handedOver = (by: string, to: string) =>
  by === to ? `${to} took this case.` : `${by} handed this case over to ${to}.`;
/** `error` names the side that answered ("Slack: channel_not_found"). */
export const notDeliveredYet = (what: string, error: string) =>
  `Not delivered to the customer yet: ${what} (${error}). The bot keeps trying.`;
export const refusedForGood = (what: string, error: string) =>
  `Could not be delivered to the customer: ${what} (${error}). Reach them another way.`;
export const deliveredNow = (what: string) => `Delivered to the customer now: ${what}.`;
export const threadRefused = (error: string) =>
  `The customer's thread could not be opened (${error}), so this case was closed: they were asked to invite the bot, or to write to it directly.`;
export const snoozed = (staff: string, until: string) => `${staff} snoozed this case until ${until}.`;
export const FOLLOWED_UP = 'The customer has been quiet a while: I asked them whether they still need help.';
export const AUTO_RESOLVED =
  'Resolved by itself: the customer did not answer when asked whether they still need help.';
/** Reminders; the staff side adds when (`what`: "first response", "next response" or "resolution"). */
export const dueSoon = (what: string) => `The ${what} for this case is due`;
export const overdue = (what: string) => `The ${what} for this case is overdue: it was due`;
export const SNOOZE_OVER = 'The snooze is over: this case needs you again.';

// What staff are told, privately, when an action on a case changes nothing.
export const NOT_STAFF = 'Only support staff can do this.';
export const CASES_OFF =
  'Support cases are not set up on this bot, so there are no cases here. See docs/cases.md to turn them on.';
export const NOT_LEAD = 'Only the support lead can do this.';
export const ALREADY_YOURS = 'You have this case already.';
export const claimedByOther = (staff: string) => `${staff} has this case. Take it over?`;
export const ALREADY_RESOLVED = 'This case is resolved already.';
export const CUSTOMER_FORGOTTEN =
  'This customer was forgotten (their data was erased), so the case stays closed: nothing sent here could reach them.';
export const NOT_SNOOZABLE = 'A resolved case cannot be snoozed.';
export const TAKE_OVER = 'Take it over';

// What the customer is told, privately, when they press "Ask a person" or rate the help.
export const requestOpened = (id: number) =>
  `Thanks: our support team has your question (case ${id}) and will reply in the thread of my “asked for help” message, where you asked.`;
export const requestPending = (id: number) =>
  `Thanks: your question is saved (case ${id}), but it has not reached our support team yet. I will tell you here as soon as it has.`;
export const notThrough = (id: number) =>
  `Sorry: your question (case ${id}) did not reach our support team, and they have been told why. Please try again in a little while, or reach us another way.`;
export const ALREADY_OPEN =
  'You already have an open question here: our support team will reply in its thread.';
export const CANNOT_POST =
  'I cannot post in this conversation, so I cannot pass your question on from here. Invite me with /invite @mailsettings, or write to me directly.';
export const ONLY_THE_ASKER = 'Only the person who asked can rate this.';
export const OPEN_AGAIN = 'This case is open again: you can rate it once it is resolved.';
export const notSent = (reference: string) =>
  `Sorry, something went wrong while passing your question on. Please try again in a moment. (reference ${reference})`;
export const ONLY_THE_ASKER_SENDS =
  'Only the person who opened this form can send it: press "Ask a person" yourself.';
export const thanksForRating = (staff: string) => `Resolved by ${staff}. Thank you for your feedback.`;
/** `side`: where the file stays ("Slack"). */
export const fileAttached = (name: string, side: string, where: string) =>
  `(Attached a file, ${name}: see it in ${side} at ${where})`;
