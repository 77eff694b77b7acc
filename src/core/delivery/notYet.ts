// A connector's way to say "not now": thrown from `deliver`, the delivery goes
// back to pending until `at`, without counting as a failure or backing off.
// Used to pace posts under a remote rate limit (Discord backfill) without
// holding a lane slot that other chats need.
export class NotYet extends Error {
  constructor(readonly at: number) {
    super(`paced: try again at ${new Date(at).toISOString()}`);
  }
}
