// Opens chat.db as the user running it and prints the outcome as JSON: the
// bad-input tests run it as an unprivileged user (root ignores file modes).
import { ChatDb, ChatDbError } from '../../src/imessage/db/index.ts';

try {
  ChatDb.open(process.argv[2]!).close();
  process.stdout.write(JSON.stringify({ ok: true }));
} catch (e) {
  const err = e as ChatDbError;
  process.stdout.write(JSON.stringify({ ok: false, kind: err.kind, message: err.message, advice: err.advice, chatDbError: e instanceof ChatDbError }));
}
