// The case lifecycle's rules as a table: a case and an event in, the changes and the deliveries out. No
// database and no platform: the function is pure (src/cases/lifecycle.ts).
import { describe, expect, it } from 'vitest';
import { type CaseEvent, type CaseState, decide } from '../../src/testing.js';

const DANA = { id: 'D1', name: 'Dana' };
const LEE = { id: 'D2', name: 'Lee' };
const base: CaseState = {
  status: 'new',
  customerId: 'U1',
  customerName: 'Alice',
  claimedBy: null,
  resolvedBy: null,
  rating: null,
  remindedAt: null,
};
const a = (fields: Partial<CaseState>): CaseState => ({ ...base, ...fields });
const claimed = a({ status: 'claimed', claimedBy: 'Dana' });
const waiting = a({ status: 'waiting', claimedBy: 'Dana' });
const resolved = a({ status: 'resolved', claimedBy: 'Dana', resolvedBy: 'Dana', rating: 'helpful' });

/** Deliveries in short: "staff status", "customer relay Dana: Hi", "staff note …". */
function short(state: CaseState, event: CaseEvent) {
  const step = decide(state, event);
  if (!step.ok) return step.error;
  return {
    changes: step.value.changes,
    sent: step.value.deliveries.map(({ target, delivery }) => {
      const d = delivery as { kind: string; author?: string; text?: string; staff?: string };
      const words = d.author
        ? ` ${d.author}: ${d.text}`
        : d.text
          ? ` ${d.text}`
          : d.staff
            ? ` by ${d.staff}`
            : '';
      return `${target} ${d.kind}${words}`;
    }),
  };
}

const wrote: CaseEvent = { type: 'customer-wrote', messageId: 7, text: 'It fails' };
const replied: CaseEvent = { type: 'staff-replied', messageId: 8, staff: LEE, text: 'Try 993' };

describe('the case lifecycle', () => {
  it.each([
    [
      'a new case opens a thread where the customer asked',
      base,
      { type: 'opened' },
      {},
      ['customer open-thread'],
    ],
    ['a thread opened calls for the staff post', base, { type: 'thread-opened' }, {}, ['staff create-post']],
    ['the customer writes in a new case', base, wrote, {}, ['staff relay Alice: It fails']],
    [
      'the customer writes while waiting: the case is staff’s turn again',
      waiting,
      wrote,
      { status: 'claimed' },
      ['staff relay Alice: It fails', 'staff status'],
    ],
    [
      'the customer writes in a resolved case: it reopens, claimed by whoever had it',
      resolved,
      wrote,
      { status: 'claimed', resolvedBy: null, rating: null },
      [
        'staff relay Alice: It fails',
        'staff note Alice wrote again: the case is open again.',
        'staff status',
      ],
    ],
    [
      'the customer writes in a resolved case nobody claimed: it is new again',
      a({ status: 'resolved', resolvedBy: 'Dana' }),
      wrote,
      { status: 'new', resolvedBy: null, rating: null },
      [
        'staff relay Alice: It fails',
        'staff note Alice wrote again: the case is open again.',
        'staff status',
      ],
    ],
    [
      'the first staff reply claims an unclaimed case and waits on the customer',
      base,
      replied,
      { status: 'waiting', claimedBy: 'Lee' },
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
      'a claim takes a new case',
      base,
      { type: 'claimed', staff: DANA },
      { status: 'claimed', claimedBy: 'Dana' },
      ['staff status'],
    ],
    [
      'a claim on a resolved case reopens it',
      resolved,
      { type: 'claimed', staff: LEE },
      { status: 'claimed', claimedBy: 'Lee', resolvedBy: null },
      ['staff status'],
    ],
    [
      'a claim by whoever has it changes nothing shown',
      claimed,
      { type: 'claimed', staff: DANA },
      { status: 'claimed', claimedBy: 'Dana' },
      [],
    ],
    [
      'resolving tells the customer, and claims an unclaimed case for whoever resolved it',
      base,
      { type: 'resolved', staff: DANA },
      { status: 'resolved', resolvedBy: 'Dana', claimedBy: 'Dana' },
      ['customer resolved by Dana', 'staff status'],
    ],
    ['resolving twice does nothing the second time', resolved, { type: 'resolved', staff: LEE }, {}, []],
    [
      'the customer rates: a note, and the card shows it',
      a({ status: 'resolved', resolvedBy: 'Dana' }),
      { type: 'rated', customerId: 'U1', helpful: false },
      { rating: 'not-helpful' },
      ['staff note Alice rated the help: not helpful.', 'staff status'],
    ],
    [
      'an edit follows the copy; a deletion marks it',
      claimed,
      { type: 'customer-edited', messageId: 7, text: 'It works' },
      {},
      ['staff edit Alice: It works'],
    ],
    ['a deletion marks the copy', claimed, { type: 'customer-edited', messageId: 7 }, {}, ['staff delete']],
    [
      'a new case nobody was reminded of is reminded once',
      base,
      { type: 'reminder-due', at: 5 },
      { remindedAt: 5 },
      ['staff remind'],
    ],
    ['a reminded case is not reminded again', a({ remindedAt: 5 }), { type: 'reminder-due', at: 9 }, {}, []],
    ['a claimed case is not reminded', claimed, { type: 'reminder-due', at: 9 }, {}, []],
  ] as [string, CaseState, CaseEvent, object, string[]][])('%s', (_name, state, event, changes, sent) => {
    expect(short(state, event)).toEqual({ changes, sent });
  });

  it('refuses a rating by anyone but the case’s customer', () => {
    expect(short(resolved, { type: 'rated', customerId: 'U2', helpful: true })).toBe('not-yours');
  });
});
