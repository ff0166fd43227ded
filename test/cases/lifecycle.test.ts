// The case lifecycle's rules as a table: a case, an event and the time in; the changes and the deliveries out,
// or why nothing changes. No database and no platform: the function is pure (src/cases/lifecycle.ts).
import { describe, expect, it } from 'vitest';
import { type CaseEvent, type CaseState, decide } from '../../src/testing.js';
import { NEW_CASE } from '../support/case-state.js';

const DANA = { id: 'D1', name: 'Dana' };
const LEE = { id: 'D2', name: 'Lee' };
const ALICE = { id: 'U1', name: 'Alice' };
const MALLORY = { id: 'U9', name: 'mallory' };
const NOW = 5_000;
const base: CaseState = NEW_CASE;
/** The clocks' bookkeeping: checked where a row names it (the clock rows), left out of the others. */
const CLOCKS = [
  'staffTurnSince',
  'remindedAt',
  'escalatedAt',
  'firstResponseAt',
  'customerTurnSince',
  'followedUpAt',
  'snoozedUntil',
  'snoozes',
  'reopenedAt',
  'resolvedAt',
  'resolutionWarnedAt',
  'resolutionEscalatedAt',
];
const a = (fields: Partial<CaseState>): CaseState => ({ ...base, ...fields });
const claimed = a({ status: 'claimed', claimedBy: 'Dana', claimedById: 'D1' });
const waiting = a({
  status: 'waiting',
  claimedBy: 'Dana',
  claimedById: 'D1',
  firstResponseAt: 2_000,
  customerTurnSince: 2_000,
});
const resolved = a({
  status: 'resolved',
  claimedBy: 'Dana',
  claimedById: 'D1',
  resolvedBy: 'Dana',
  rating: 'helpful',
});

/**
 * Deliveries in short: "staff status", "customer relay Dana: Hi", "staff relay Alice @D1: Hi". The clocks'
 * fields of the changes only where `expected` names them.
 */
function short(state: CaseState, event: CaseEvent, expected: object = {}) {
  const step = decide(state, event, NOW);
  if (!step.ok) return step.error;
  const changes = Object.fromEntries(
    Object.entries(step.value.changes).filter(([key]) => !CLOCKS.includes(key) || key in expected),
  );
  return {
    changes,
    sent: step.value.deliveries.map(({ target, delivery }) => {
      const d = delivery as {
        kind: string;
        author?: string;
        text?: string;
        staff?: string;
        notCustomer?: true;
        ping?: string;
        level?: string;
        what?: string;
        from?: string;
      };
      const who = `${d.author ?? ''}${d.notCustomer ? ' (not the customer)' : ''}${d.ping ? ` @${d.ping}` : ''}${d.from ? ` from ${d.from}` : ''}`;
      const reminder = d.level ? ` ${d.level} ${d.what}${d.ping ? ` @${d.ping}` : ''}` : '';
      const words = d.author
        ? ` ${who}: ${d.text}`
        : d.text
          ? ` ${d.ping ? `@${d.ping} ` : ''}${d.text}`
          : d.staff
            ? ` by ${d.staff}`
            : reminder;
      return `${target} ${d.kind}${words}`;
    }),
  };
}

const wrote = (by = ALICE): CaseEvent => ({ type: 'customer-wrote', messageId: 7, by, text: 'It fails' });
const replied: CaseEvent = { type: 'staff-replied', messageId: 8, staff: LEE, text: 'Try 993' };
const turn = { staffTurnSince: NOW, remindedAt: null, escalatedAt: null };

describe('the case lifecycle', () => {
  it.each([
    [
      'a new case makes the staff post first',
      base,
      { type: 'opened' },
      { staffTurnSince: NOW },
      ['staff create-post'],
    ],
    [
      'the post made, the customer’s thread opens',
      base,
      { type: 'post-created' },
      {},
      ['customer open-thread'],
    ],
    ['the thread opened, the card gets its link', base, { type: 'thread-opened' }, {}, ['staff status']],
    ['the customer writes in a new case', base, wrote(), {}, ['staff relay Alice: It fails']],
    [
      'the customer answers a staff reply: whoever has the case is pinged',
      waiting,
      wrote(),
      { status: 'claimed', ...turn },
      ['staff relay Alice @D1: It fails', 'staff status'],
    ],
    [
      'the customer writes again while it is the staff’s turn: no second ping',
      claimed,
      wrote(),
      {},
      ['staff relay Alice: It fails'],
    ],
    [
      'someone else in the thread is shown as themselves, and changes nothing',
      waiting,
      wrote(MALLORY),
      {},
      ['staff relay mallory (not the customer): It fails'],
    ],
    [
      'the customer writes in a resolved case: it reopens, claimed by whoever had it',
      resolved,
      wrote(),
      { status: 'claimed', resolvedBy: null, rating: null, ...turn },
      [
        'staff relay Alice @D1: It fails',
        'staff note Alice wrote again: the case is open again.',
        'staff status',
      ],
    ],
    [
      'someone else cannot reopen a resolved case',
      resolved,
      wrote(MALLORY),
      {},
      ['staff relay mallory (not the customer): It fails'],
    ],
    [
      'the customer writes in a resolved case nobody claimed: it is new again',
      a({ status: 'resolved', resolvedBy: 'Dana' }),
      wrote(),
      { status: 'new', resolvedBy: null, rating: null, ...turn },
      [
        'staff relay Alice: It fails',
        'staff note Alice wrote again: the case is open again.',
        'staff status',
      ],
    ],
    [
      'an edit of someone else’s message keeps their name',
      claimed,
      { type: 'customer-edited', messageId: 7, by: MALLORY, text: 'edited' },
      {},
      ['staff edit mallory (not the customer): edited'],
    ],
    [
      'a deletion marks the copy',
      claimed,
      { type: 'customer-edited', messageId: 7, by: ALICE },
      {},
      ['staff delete'],
    ],
    [
      'the first staff reply claims an unclaimed case and waits on the customer',
      base,
      replied,
      { status: 'waiting', claimedBy: 'Lee', claimedById: 'D2' },
      ['customer relay Lee: Try 993', 'staff status'],
    ],
    [
      'a reply by someone else keeps the case with whoever claimed it',
      claimed,
      replied,
      { status: 'waiting' },
      ['customer relay Lee: Try 993', 'staff status'],
    ],
    [
      'an error the catalogue recognises in the customer’s words: a note for staff after their words',
      claimed,
      { ...wrote(), recognised: 'Alice’s message reads as an error: Expired certificate.' },
      {},
      ['staff relay Alice: It fails', 'staff note Alice’s message reads as an error: Expired certificate.'],
    ],
    [
      'in a resolved case it reopens, the note before the reopening',
      resolved,
      { ...wrote(), recognised: 'Alice’s message reads as an error.' },
      { status: 'claimed', resolvedBy: null, rating: null, ...turn },
      [
        'staff relay Alice @D1: It fails',
        'staff note Alice’s message reads as an error.',
        'staff note Alice wrote again: the case is open again.',
        'staff status',
      ],
    ],
    [
      'someone else’s words never give a note, whatever they say',
      claimed,
      { ...wrote(MALLORY), recognised: 'mallory’s message reads as an error.' },
      {},
      ['staff relay mallory (not the customer): It fails'],
    ],
    [
      'a reply sent from another post (cases sharing a cause): the customer gets it, this post a record',
      claimed,
      { ...replied, from: 'discord:42' } as CaseEvent,
      { status: 'waiting' },
      ['customer relay Lee: Try 993', 'staff sent Lee from discord:42: Try 993', 'staff status'],
    ],
    [
      'the card changed (a diagnosis, a check again): the note, then the card redrawn',
      claimed,
      { type: 'card-changed', note: 'Dana checked the servers again.' },
      {},
      ['staff note Dana checked the servers again.', 'staff status'],
    ],
    [
      'another case came into or left a shared cause: the card is redrawn',
      resolved,
      { type: 'card-changed' },
      {},
      ['staff status'],
    ],
    [
      'settings sent count as a reply, and are noted for staff',
      claimed,
      { type: 'settings-sent', staff: DANA, question: 'example.com imap', described: 'example.com (IMAP)' },
      { status: 'waiting' },
      [
        'customer settings by Dana',
        'staff note Dana is sending the settings for example.com (IMAP) to the customer.',
        'staff status',
      ],
    ],
    [
      'a claim takes a new case, and the customer hears who has it',
      base,
      { type: 'claimed', staff: DANA },
      { status: 'claimed', claimedBy: 'Dana', claimedById: 'D1' },
      ['customer claimed by Dana', 'staff status'],
    ],
    [
      'a claim by whoever has it is refused as theirs already',
      claimed,
      { type: 'claimed', staff: DANA },
      'already-yours',
      [],
    ],
    [
      'a claim on someone else’s case asks first',
      claimed,
      { type: 'claimed', staff: LEE },
      'claimed-by-other',
      [],
    ],
    [
      'a take-over, once confirmed, is noted for staff',
      claimed,
      { type: 'claimed', staff: LEE, takeover: true },
      { status: 'claimed', claimedBy: 'Lee', claimedById: 'D2' },
      ['customer claimed by Lee', 'staff note Lee took this case over from Dana.', 'staff status'],
    ],
    [
      'a take-over confirmed after the case was resolved meanwhile is refused (Claim reopens it)',
      resolved,
      { type: 'claimed', staff: LEE, takeover: true },
      'already-resolved',
      [],
    ],
    [
      'a claim on a resolved case reopens it',
      resolved,
      { type: 'claimed', staff: LEE },
      { status: 'claimed', claimedBy: 'Lee', claimedById: 'D2', resolvedBy: null, rating: null, ...turn },
      ['customer claimed by Lee', 'staff note Lee took this case over from Dana.', 'staff status'],
    ],
    [
      'a case handed over is the new owner’s: the customer hears who has it, the owner is pinged in the post',
      base,
      { type: 'assigned', staff: DANA, to: LEE },
      { status: 'claimed', claimedBy: 'Lee', claimedById: 'D2' },
      ['customer claimed by Lee', 'staff note @D2 Dana handed this case over to Lee.', 'staff status'],
    ],
    [
      'a claimed case handed over changes hands and stays claimed',
      claimed,
      { type: 'assigned', staff: DANA, to: LEE },
      { status: 'claimed', claimedBy: 'Lee', claimedById: 'D2' },
      ['customer claimed by Lee', 'staff note @D2 Dana handed this case over to Lee.', 'staff status'],
    ],
    [
      'a case waiting on the customer, handed over, still waits on them',
      waiting,
      { type: 'assigned', staff: LEE, to: LEE },
      { status: 'waiting', claimedBy: 'Lee', claimedById: 'D2' },
      ['customer claimed by Lee', 'staff note @D2 Lee took this case.', 'staff status'],
    ],
    [
      'a case handed to whoever has it already changes nothing',
      claimed,
      { type: 'assigned', staff: LEE, to: DANA },
      'already-yours',
      [],
    ],
    [
      'a resolved case is not handed over (claiming it opens it again)',
      resolved,
      { type: 'assigned', staff: DANA, to: LEE },
      'already-resolved',
      [],
    ],
    [
      'resolving tells the customer, and claims an unclaimed case for whoever resolved it',
      base,
      { type: 'resolved', staff: DANA },
      { status: 'resolved', resolvedBy: 'Dana', claimedBy: 'Dana', claimedById: 'D1' },
      ['customer resolved by Dana', 'staff status'],
    ],
    [
      'resolving twice is refused the second time',
      resolved,
      { type: 'resolved', staff: LEE },
      'already-resolved',
      [],
    ],
    [
      'the customer rates: a note, and the card shows it',
      a({ status: 'resolved', resolvedBy: 'Dana' }),
      { type: 'rated', customerId: 'U1', helpful: false },
      { rating: 'not-helpful' },
      ['staff note Alice rated the help: not helpful.', 'staff status'],
    ],
    [
      'the same rating again changes nothing',
      resolved,
      { type: 'rated', customerId: 'U1', helpful: true },
      {},
      [],
    ],
    [
      'someone else may not rate',
      resolved,
      { type: 'rated', customerId: 'U9', helpful: true },
      'not-yours',
      [],
    ],
    // The clocks (what clock-tick.ts finds due comes in as a 'clock' event).
    [
      'a response nearly due warns whoever has the case, once',
      claimed,
      { type: 'clock', due: 'response-due-soon', dueAt: 9 },
      { remindedAt: NOW },
      ['staff remind due-soon first response @D1'],
    ],
    [
      'nobody has it: the warning goes to the staff role',
      base,
      { type: 'clock', due: 'response-due-soon' },
      { remindedAt: NOW },
      ['staff remind due-soon first response'],
    ],
    [
      'a warned response is not warned of again',
      a({ remindedAt: 3 }),
      { type: 'clock', due: 'response-due-soon' },
      {},
      [],
    ],
    [
      'an overdue response goes to the lead, once',
      a({ ...claimed, remindedAt: 3 }),
      { type: 'clock', due: 'response-overdue' },
      { escalatedAt: NOW, remindedAt: 3 },
      ['staff remind overdue first response'],
    ],
    [
      'after a first reply, the next one is due',
      a({ ...claimed, firstResponseAt: 2 }),
      { type: 'clock', due: 'response-due-soon' },
      { remindedAt: NOW },
      ['staff remind due-soon next response @D1'],
    ],
    [
      'a case waiting on the customer owes no response',
      waiting,
      { type: 'clock', due: 'response-overdue' },
      {},
      [],
    ],
    [
      'a snoozed case owes none either',
      a({ snoozedUntil: 9_000 }),
      { type: 'clock', due: 'response-due-soon' },
      {},
      [],
    ],
    [
      'the resolution nearly due warns whoever has it; overdue, the lead',
      claimed,
      { type: 'clock', due: 'resolution-overdue' },
      { resolutionEscalatedAt: NOW, resolutionWarnedAt: NOW },
      ['staff remind overdue resolution'],
    ],
    [
      'a quiet customer is asked once whether they still need help',
      waiting,
      { type: 'clock', due: 'follow-up' },
      { followedUpAt: NOW },
      [
        'customer follow-up',
        'staff note The customer has been quiet a while: I asked them whether they still need help.',
      ],
    ],
    [
      'still quiet after that: the case resolves itself',
      a({ ...waiting, followedUpAt: 3_000 }),
      { type: 'clock', due: 'auto-resolve' },
      { status: 'resolved', resolvedBy: null, resolvedAt: NOW },
      [
        'customer auto-resolved',
        'staff note Resolved by itself: the customer did not answer when asked whether they still need help.',
        'staff status',
      ],
    ],
    [
      'a snooze over starts the response clock again and tells whoever has the case',
      a({ ...claimed, snoozedUntil: 4_000, remindedAt: 2 }),
      { type: 'clock', due: 'snooze-over' },
      { snoozedUntil: null, staffTurnSince: NOW, remindedAt: null, escalatedAt: null },
      ['staff remind snooze-over first response @D1'],
    ],
    [
      'staff snooze a case',
      claimed,
      { type: 'snoozed', staff: DANA, until: 9_000, untilText: 'Monday 09:00 (UTC)' },
      { snoozedUntil: 9_000, snoozes: [[NOW, 9_000]] },
      ['staff note Dana snoozed this case until Monday 09:00 (UTC).'],
    ],
    [
      'a second snooze while snoozed moves the end of the one under way',
      a({
        ...claimed,
        snoozedUntil: 9_000,
        snoozes: [
          [1_500, 2_000],
          [3_000, 9_000],
        ],
      }),
      { type: 'snoozed', staff: DANA, until: 20_000, untilText: 'Tuesday 09:00 (UTC)' },
      {
        snoozedUntil: 20_000,
        snoozes: [
          [1_500, 2_000],
          [3_000, 20_000],
        ],
      },
      ['staff note Dana snoozed this case until Tuesday 09:00 (UTC).'],
    ],
    [
      'resolving a snoozed case cuts its snooze short there',
      a({ ...claimed, snoozedUntil: 9_000, snoozes: [[3_000, 9_000]] }),
      { type: 'resolved', staff: DANA },
      {
        status: 'resolved',
        resolvedBy: 'Dana',
        resolvedAt: NOW,
        snoozedUntil: null,
        snoozes: [[3_000, NOW]],
      },
      ['customer resolved by Dana', 'staff status'],
    ],
    [
      'a case reopened starts its resolution clock over: no snoozes, no warnings sent',
      a({
        ...resolved,
        resolvedAt: 3_000,
        snoozes: [[1_500, 2_000]],
        resolutionWarnedAt: 2_500,
        resolutionEscalatedAt: 2_800,
      }),
      wrote(),
      {
        status: 'claimed',
        resolvedBy: null,
        rating: null,
        resolvedAt: null,
        reopenedAt: NOW,
        snoozes: [],
        resolutionWarnedAt: null,
        resolutionEscalatedAt: null,
      },
      [
        'staff relay Alice @D1: It fails',
        'staff note Alice wrote again: the case is open again.',
        'staff status',
      ],
    ],
    [
      'a resolved case cannot be snoozed',
      resolved,
      { type: 'snoozed', staff: DANA, until: 9, untilText: '' },
      'not-snoozable',
      [],
    ],
    [
      'the clocks follow a staff reply: the customer’s turn starts, and the first response is kept',
      claimed,
      replied,
      {
        status: 'waiting',
        customerTurnSince: NOW,
        followedUpAt: null,
        firstResponseAt: NOW,
        snoozedUntil: null,
      },
      ['customer relay Lee: Try 993', 'staff status'],
    ],
    [
      'the customer writing while a case is snoozed ends the snooze, and its time counts only until then',
      a({ ...claimed, snoozedUntil: 9_000, remindedAt: 3, snoozes: [[3_000, 9_000]] }),
      wrote(),
      {
        snoozedUntil: null,
        snoozes: [[3_000, NOW]],
        staffTurnSince: NOW,
        remindedAt: null,
        escalatedAt: null,
      },
      ['staff relay Alice: It fails'],
    ],
    [
      'resolving keeps when, and a reopened case forgets it',
      claimed,
      { type: 'resolved', staff: DANA },
      { status: 'resolved', resolvedBy: 'Dana', resolvedAt: NOW },
      ['customer resolved by Dana', 'staff status'],
    ],
    [
      'staff hear when a reply has not reached the customer yet',
      claimed,
      {
        type: 'delivery-trouble',
        delivery: { kind: 'relay', messageId: 8, author: 'Dana', text: 'Hi' },
        target: 'customer',
        state: 'late',
        error: 'Slack: 503',
      },
      {},
      ['staff note Not delivered to the customer yet: “Hi” (Slack: 503). The bot keeps trying.'],
    ],
    [
      'the customer hears when their words never reached staff',
      claimed,
      {
        type: 'delivery-trouble',
        delivery: { kind: 'relay', messageId: 7, author: 'Alice', text: 'Hi' },
        target: 'staff',
        state: 'refused',
        error: 'Discord: AutoMod',
      },
      {},
      [
        'customer notice Your message “Hi” did not reach our support team (Discord: AutoMod). Please write it again in other words, or reach us another way.',
      ],
    ],
    [
      'a thread the customer’s side refused closes the case',
      base,
      {
        type: 'delivery-trouble',
        delivery: { kind: 'open-thread' },
        target: 'customer',
        state: 'refused',
        error: 'Slack: not_in_channel',
      },
      { status: 'resolved' },
      [
        "staff note The customer's thread could not be opened (Slack: not_in_channel), so this case was closed: they were asked to invite the bot, or to write to it directly.",
        'staff status',
      ],
    ],
  ] as [string, CaseState, CaseEvent, object | string, string[]][])(
    '%s',
    (_name, state, event, changes, sent) => {
      expect(short(state, event, typeof changes === 'string' ? {} : changes)).toEqual(
        typeof changes === 'string' ? changes : { changes, sent },
      );
    },
  );

  it('keeps a snooze that ran its course whole, to when it was planned to end', () => {
    const step = decide(
      a({ ...claimed, snoozedUntil: 4_000, snoozes: [[2_000, 4_000]] }),
      { type: 'clock', due: 'snooze-over' },
      NOW,
    );
    expect(step.ok && step.value.changes).toMatchObject({ snoozedUntil: null });
    expect(step.ok && 'snoozes' in step.value.changes).toBe(false);
  });
});
