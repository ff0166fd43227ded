// The case lifecycle's rules as a table: a case, an event and the time in; the changes and the deliveries out,
// or why nothing changes. No database and no platform: the function is pure (src/cases/lifecycle.ts).
import { describe, expect, it } from 'vitest';
import { type CaseEvent, type CaseState, decide } from '../../src/testing.js';

const DANA = { id: 'D1', name: 'Dana' };
const LEE = { id: 'D2', name: 'Lee' };
const ALICE = { id: 'U1', name: 'Alice' };
const MALLORY = { id: 'U9', name: 'mallory' };
const NOW = 5_000;
const base: CaseState = {
  status: 'new',
  customerId: 'U1',
  customerName: 'Alice',
  claimedBy: null,
  claimedById: null,
  resolvedBy: null,
  rating: null,
  remindedAt: null,
  staffTurnSince: 1_000,
};
const a = (fields: Partial<CaseState>): CaseState => ({ ...base, ...fields });
const claimed = a({ status: 'claimed', claimedBy: 'Dana', claimedById: 'D1' });
const waiting = a({ status: 'waiting', claimedBy: 'Dana', claimedById: 'D1', staffTurnSince: null });
const resolved = a({
  status: 'resolved',
  claimedBy: 'Dana',
  claimedById: 'D1',
  resolvedBy: 'Dana',
  rating: 'helpful',
});

/** Deliveries in short: "staff status", "customer relay Dana: Hi", "staff relay Alice @D1: Hi". */
function short(state: CaseState, event: CaseEvent) {
  const step = decide(state, event, NOW);
  if (!step.ok) return step.error;
  return {
    changes: step.value.changes,
    sent: step.value.deliveries.map(({ target, delivery }) => {
      const d = delivery as {
        kind: string;
        author?: string;
        text?: string;
        staff?: string;
        notCustomer?: true;
        ping?: string;
        from?: string;
      };
      const who = `${d.author ?? ''}${d.notCustomer ? ' (not the customer)' : ''}${d.ping ? ` @${d.ping}` : ''}${d.from ? ` from ${d.from}` : ''}`;
      const words = d.author
        ? ` ${who}: ${d.text}`
        : d.text
          ? ` ${d.text}`
          : d.staff
            ? ` by ${d.staff}`
            : d.ping
              ? ` @${d.ping}`
              : '';
      return `${target} ${d.kind}${words}`;
    }),
  };
}

const wrote = (by = ALICE): CaseEvent => ({ type: 'customer-wrote', messageId: 7, by, text: 'It fails' });
const replied: CaseEvent = { type: 'staff-replied', messageId: 8, staff: LEE, text: 'Try 993' };
const turn = { staffTurnSince: NOW, remindedAt: null };

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
        'staff note Dana sent the settings for example.com (IMAP) to the customer.',
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
      'a claim on a resolved case reopens it',
      resolved,
      { type: 'claimed', staff: LEE },
      { status: 'claimed', claimedBy: 'Lee', claimedById: 'D2', resolvedBy: null, ...turn },
      ['customer claimed by Lee', 'staff note Lee took this case over from Dana.', 'staff status'],
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
    ['a new case is reminded of once', base, { type: 'reminder-due' }, { remindedAt: NOW }, ['staff remind']],
    [
      'a claimed case reminds whoever has it',
      claimed,
      { type: 'reminder-due' },
      { remindedAt: NOW },
      ['staff remind @D1'],
    ],
    ['a reminded case is not reminded again', a({ remindedAt: 3 }), { type: 'reminder-due' }, {}, []],
    ['a case waiting on the customer is not reminded', waiting, { type: 'reminder-due' }, {}, []],
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
      expect(short(state, event)).toEqual(typeof changes === 'string' ? changes : { changes, sent });
    },
  );
});
