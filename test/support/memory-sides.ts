// Both sides of a case in memory, for tests that drive the case relay without the platforms: every call
// answers at once with a fresh reference, and each post's status is recorded as last drawn; and a case opened
// through the core as those tests open one.
import type { CaseView, CustomerSide, StaffSide } from '../../src/index.js';
import type { assembleCases } from '../../src/testing.js';

/** Both sides in memory: each post's status as last drawn, with the customer's name it showed. */
export function memorySides() {
  const drawn: string[] = [];
  let n = 0;
  const ref = (side: string) => `${side}:${++n}`;
  const customer: CustomerSide = {
    name: 'Slack',
    threadLink: () => undefined,
    openThread: async () => `slack:C1:${1_700_000_000 + ++n}.000100`,
    postReply: async () => ref('slack:C1'),
    postSettings: async () => ref('slack:C1'),
    postResolved: async () => ref('slack:C1'),
    postNotice: async () => ref('slack:C1'),
    tellPrivately: async () => {},
  };
  const staff: StaffSide = {
    name: 'Discord',
    createPost: async () => ref('discord'),
    updateStatus: async (view) => void drawn.push(`${view.id} ${view.status} ${view.customerName}`),
    postCustomerMessage: async () => ref('discord'),
    editCustomerMessage: async (_view, copy) => copy,
    markDeleted: async () => {},
    postNote: async () => {},
    postSent: async () => {},
    remind: async () => {},
  };
  return { customer, staff, drawn };
}

type Relay = ReturnType<typeof assembleCases>;

/** Opens a case through the core, delivers what opening stored, and gives the case as staff see it. */
export async function openCase(
  relay: Relay,
  customer: { id: string; name: string },
  question: string,
  said: { words?: string; email?: string } = {},
): Promise<CaseView> {
  const opened = await relay.cases.open({
    place: 'slack:C1',
    customerId: customer.id,
    customerName: customer.name,
    question,
    ...said,
  });
  if (!opened.ok) throw new Error('not opened');
  await relay.outbox.drain();
  const staffThread = (await relay.store.byId(opened.value.id)).staff_thread ?? '';
  return (await relay.cases.findByStaffThread(staffThread)) as CaseView;
}
