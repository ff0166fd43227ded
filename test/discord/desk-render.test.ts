// The agent's lists as Discord messages: however many cases or saved replies there are, one message of at
// most 2000 characters, what does not fit counted exactly, headings never left alone at the end, and every
// name and question escaped.
import { describe, expect, it } from 'vitest';
import { foundCasesContent, openCasesContent, snippetsContent } from '../../adapters/discord/desk-render.js';
import type { CaseListing, CaseView, Snippet } from '../../src/index.js';

const view = (id: number, status: CaseView['status'], name = `customer${id}`): CaseView => ({
  id,
  status,
  customerPlace: 'slack:C1',
  customerThread: null,
  customerId: `U${id}`,
  customerName: name,
  question: `domain${id}.test imap`,
  staffThread: `discord:9000000000000${String(id).padStart(5, '0')}`,
  claimedBy: status === 'new' ? null : 'Dana',
  claimedById: status === 'new' ? null : 'D1',
  resolvedBy: status === 'resolved' ? 'Dana' : null,
  rating: null,
  snoozedUntil: null,
});
const listing = (id: number, status: CaseView['status'], name?: string): CaseListing => ({
  view: view(id, status, name),
  openedAt: 1_700_000_000_000 + id * 60_000,
  changedAt: 1_700_000_000_000 + id * 120_000,
});
const bullets = (content: string) => content.match(/^(?:\*\*.*\*\*\n)?• /gm)?.length ?? 0;

describe('the open cases', () => {
  it('fits one message and counts exactly what it leaves out, the list’s own leftovers included', () => {
    const cases = [
      ...Array.from({ length: 30 }, (_, n) => listing(n + 1, 'new')),
      ...Array.from({ length: 30 }, (_, n) => listing(n + 31, 'claimed')),
    ];
    const content = openCasesContent({ cases, more: 40 });
    expect(content.length).toBeLessThanOrEqual(2000);
    const shown = bullets(content);
    expect(shown).toBeGreaterThan(5);
    expect(content.endsWith(`…and ${60 - shown + 40} more.`)).toBe(true);
    expect(
      content.startsWith(
        '**New**\n• <#900000000000000001> case 1: domain1.test (IMAP), customer1, opened <t:1700000060:R>',
      ),
    ).toBe(true);
  });

  it('shows all when all fit, a heading per status, and who has each claimed case', () => {
    const content = openCasesContent({
      cases: [listing(1, 'new'), listing(2, 'claimed'), listing(3, 'waiting')],
      more: 0,
    });
    expect(content.split('\n')).toEqual([
      '**New**',
      '• <#900000000000000001> case 1: domain1.test (IMAP), customer1, opened <t:1700000060:R>',
      '**Claimed**',
      '• <#900000000000000002> case 2: domain2.test (IMAP), customer2, with Dana, opened <t:1700000120:R>',
      '**Waiting on customer**',
      '• <#900000000000000003> case 3: domain3.test (IMAP), customer3, with Dana, opened <t:1700000180:R>',
    ]);
    expect(openCasesContent({ cases: [], more: 0 })).toBe(
      'No open cases: nothing waits on the support staff.',
    );
  });

  it('escapes names: a customer named as a link or a mention stays text', () => {
    const content = openCasesContent({
      cases: [listing(1, 'new', '[Refund](https://evil.test) <@&1>')],
      more: 0,
    });
    expect(content).toContain('\\[Refund\\](https://evil.test) \\<@&1\\>');
  });
});

describe('cases found', () => {
  it('fits one message, newest first as given, with the resolver and the count of the rest', () => {
    const cases = Array.from({ length: 60 }, (_, n) => listing(60 - n, 'resolved'));
    const content = foundCasesContent('domain.test', { cases, more: 5 });
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content.split('\n')[1]).toBe(
      '• <#900000000000000060> case 60, <t:1700003600:d>: domain60.test (IMAP), customer60; resolved by Dana <t:1700007200:R>',
    );
    expect(content.endsWith(`…and ${60 - bullets(content) + 5} more.`)).toBe(true);
  });
});

describe('the saved replies', () => {
  it('lists names and first lines within one message, and always names the placeholders', () => {
    const snippets: Snippet[] = Array.from({ length: 80 }, (_, n) => ({
      name: `reply-${n}`,
      text: `First line of reply ${n}, with *stars* and a [link](https://evil.test)\nsecond line`,
      createdBy: 'Dana',
      createdAt: 1_700_000_000_000,
      updatedBy: 'Lee',
      updatedAt: 1_700_000_000_000,
    }));
    const content = snippetsContent(snippets);
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content.split('\n')[0]).toBe(
      '• **reply-0**: First line of reply 0, with \\*stars\\* and a \\[link\\](https://evil.test) (Lee, <t:1700000000:R>)',
    );
    expect(content).not.toContain('second line');
    expect(content).toMatch(/…and \d+ more\.\nThe placeholders are \{imap.host\}, /);
  });
});
