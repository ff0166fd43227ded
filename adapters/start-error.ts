// A front end that cannot start (its platform unreachable, its token refused): `npm start` prints the message,
// one line saying what failed and what to check, and exits with 1 instead of retrying in the background.
import { MailSettingsError } from '../src/index.js';

export class StartError extends MailSettingsError {
  override readonly name = 'StartError';
  override readonly code = 'START_FAILED';
}
