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

  it('never keeps lines (help, refusals) or anything but an answer', () => {
    const { render, renders } = counted();
    const line: Saying = { said: { kind: 'line', text: 'Slow down' }, asked: '' };
    render(line, 'a');
    render(line, 'a');
    expect(renders()).toBe(2);
  });
});
