// Forgetting a customer who asked with a tagged address (alice+news@): the card loses the address as they typed
// it and as the bot wrote it (the mailbox itself, as the username).
import { describe, expect, it } from 'vitest';
import { forgottenCard } from '../../src/cases/forgotten.js';
import { describeUsername } from '../../src/testing.js';

describe('forgetting a customer with a tagged address', () => {
  it('leaves no trace of their address in the kept card, tag stripped or not', () => {
    const email = 'alice+news@example.com';
    // What the bot writes on the card for this customer: the username is their address without its tag now.
    const fix = `Type the password again with ${describeUsername('%EMAILADDRESS%', email)} as the username.`;
    const card = JSON.stringify({
      diagnosis: { cause: 'password', confirmed: null, summary: 'Wrong password.', fix, by: 'Alice' },
    });
    const kept = forgottenCard(card, email, email);
    expect(kept).not.toContain('alice@example.com');
    expect(kept).not.toMatch(/\balice\b/);
  });
});
