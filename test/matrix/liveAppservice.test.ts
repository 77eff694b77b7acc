// Whole stories in appservice mode against the live core, the Messages simulator,
// the fake osascript and a real Synapse (see liveWorld.ts / liveStories.ts).
import { test, before, after } from 'node:test';
import { startWorld, type World } from './liveWorld.ts';
import * as story from './liveStories.ts';

let w: World;
let alice: story.Portal;
const T = { timeout: 90_000 };

before(async () => { w = await startWorld('appservice'); });
after(async () => { await w?.close(); });

test('appservice: a contact writes → the owner sees it in a portal named from Contacts, with the contact\'s name', T, async () => {
  alice = await story.contactWrites(w);
});
test('appservice: a photo and a threaded reply from chat.db → m.image and m.in_reply_to', T, () => story.contactSendsPhotoAndReply(w, alice));
test('appservice: tapback, edit and unsend in chat.db → reaction, m.replace, redaction', T, () => story.tapbackEditUnsend(w, alice));
test('appservice: a group rename in chat.db → the room name', T, () => story.groupRename(w));
test('appservice: the owner replies → byte-exact in chat.db, ✅ in Matrix, no echo', T, () => story.replyConfirmedNotEchoed(w, alice));
test('appservice: a send Messages refuses (-1743) → an m.notice with the reason', T, () => story.refusedSendShowsReason(w, alice));
test('appservice: a Matrix user who is not allowed → nothing reaches chat.db', T, () => story.strangerIsIgnored(w, alice));
test('appservice: a message typed on the phone shows as the user\'s and is not sent back', T, () => story.ownPhoneMessage(w, alice));
test('appservice: an image sent from Element arrives in chat.db as an attachment', T, () => story.imageFromElement(w, alice));
test('appservice: !imessage new reaches a number that never wrote; its answer opens a portal', T, () => story.newConversationFromCommand(w));
test('appservice: restarting the bridge mid-stream posts nothing twice and loses nothing', T, async (t) => {
  const seen = await story.restartMidStream(w, alice);
  t.diagnostic(`${seen} of 20 burst messages had reached Matrix when the bridge was stopped`);
});
