// A pasted error explained as the bot explains it, with the live check run against the test's own mail servers:
// the world's loopback DNS, private addresses allowed, the test certificate authority trusted.
import { explainError, readExplainInput } from '../../src/diagnose/stage.js';
import { checkSettings } from '../../src/testing.js';
import type { TestPki } from './pki.js';
import { resolverIn, type World } from './world.js';

export async function explainLive(world: World, pki: TestPki, paste: string, question: string) {
  const input = readExplainInput(paste, question);
  if (!input.ok) throw new Error(input.error.message);
  const lookup = world.resolverOptions().dns.addresses;
  return explainError(input.value, {
    resolver: resolverIn(world),
    checker: (settings) => checkSettings(settings, { lookup, allowPrivate: true, ca: pki.ca }),
  });
}
