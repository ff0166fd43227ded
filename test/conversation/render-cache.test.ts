// keepRendered: a chat front end's rendering of an answer, kept with the answer's set-up offer, so a cached
// answer is rendered once. Anything else the message depends on must give another rendering.
import { describe, expect, it } from 'vitest';
import { keepRendered, type Said, type Saying } from '../../src/index.js';

type AnswerSaid = Extract<Said, { kind: 'answer' }>;

function answerSaid(setup: AnswerSaid['setup'], extra: Partial<AnswerSaid> = {}): AnswerSaid {
  return { kind: 'answer', answer: {} as AnswerSaid['answer'], private: true, setup, ...extra };
}

function counted() {
  let renders = 0;
  const render = keepRendered((saying: Saying, variant: 'a' | 'b') => ({
    n: ++renders,
    variant,
    asked: saying.asked,
  }));
  return { render, renders: () => renders };
}

describe('keepRendered', () => {
  it('renders an answer once for the same offer, asker wording and variant', () => {
    const { render, renders } = counted();
    const setup = { question: 'x.test imap', programs: [] };
    const first = render({ said: answerSaid(setup), asked: 'x.test imap' }, 'a');
    expect(render({ said: answerSaid(setup), asked: 'x.test imap' }, 'a')).toBe(first);
    expect(renders()).toBe(1);
  });

  it('renders again for another offer, variant, wording, privacy or share question', () => {
    const { render, renders } = counted();
    const setup = { question: 'x.test imap', programs: [] };
    const asked = 'x.test imap';
    render({ said: answerSaid(setup), asked }, 'a');
    render({ said: answerSaid({ ...setup }), asked }, 'a');
    render({ said: answerSaid(setup), asked }, 'b');
    render({ said: answerSaid(setup), asked: 'X.test imap' }, 'a');
    render({ said: answerSaid(setup, { private: false }), asked }, 'a');
    render({ said: answerSaid(setup, { shareAs: asked }), asked }, 'a');
    expect(renders()).toBe(6);
  });

  it('fills an asker into a stand-in message only where that gives what rendering it whole gives', () => {
    let renders = 0;
    // Text cut at 12 characters: whole in "Hi aa@x.test", cut in the middle of a longer address.
    const render = keepRendered(
      ({ asked }: Saying) => {
        renders += 1;
        return { text: asked.slice(0, 12) };
      },
      (text) => !text.includes('!'),
    );
    const setup = { question: '', programs: [] };
    const standInSetup = { question: '', programs: [] };
    const asking = (local: string, standInLocal = '\uE000'.repeat(local.length)): Saying => ({
      said: answerSaid({ ...setup }),
      asked: `Hi ${local}@x.test`,
      standIn: {
        saying: { said: answerSaid(standInSetup), asked: `Hi ${standInLocal}@x.test` },
        swaps: [[standInLocal, local]],
        keep: true,
      },
    });
    expect(render(asking('aa'), '')).toEqual({ text: 'Hi aa@x.test' });
    expect(renders).toBe(2); // the stand-in, and the first asker whole to compare
    expect(render(asking('bb'), '')).toEqual({ text: 'Hi bb@x.test' });
    expect(renders).toBe(2);
    // A platform that would change "!" gets it rendered whole; so does a message cut inside the stand-in.
    expect(render(asking('c!'), '')).toEqual({ text: 'Hi c!@x.test' });
    expect(renders).toBe(3);
    for (const local of ['longer-one', 'longer-two']) {
      expect(render(asking(local), '')).toEqual({ text: `Hi ${local}`.slice(0, 12) });
    }
    expect(renders).toBe(6);
  });

  it('never keeps lines (help, refusals) or anything but an answer', () => {
    const { render, renders } = counted();
    const line: Saying = { said: { kind: 'line', text: 'Slow down' }, asked: '' };
    render(line, 'a');
    render(line, 'a');
    expect(renders()).toBe(2);
  });
});
