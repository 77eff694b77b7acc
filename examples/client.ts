// Read, search, send and stream with the typed client. Run against a bridge:
//   IMB_URL=http://127.0.0.1:8787 IMB_TOKEN=imb_… npx tsx examples/client.ts
import { BridgeClient } from 'imessage-bridge/client';

const api = new BridgeClient({ baseUrl: process.env.IMB_URL, token: process.env.IMB_TOKEN! });
const { chats: [chat] } = await api.listChats({ limit: 1 });
for (const m of (await api.listMessages(chat!.guid, { limit: 3 })).messages) console.log(`${m.sender_name ?? m.sender}: ${m.text}`);
for (const hit of (await api.search({ q: 'lunch', limit: 3 })).results) console.log(`found in ${hit.chat.name}: ${hit.message.text}`);
const live = await api.events().ready; // connected: the reply to our send will be seen
console.log('sent:', (await api.send({ chat: chat!.guid, text: 'Hello from the typed client' }, { wait: true })).fate.state);
for await (const ev of live) { console.log(`live ${ev.type}: ${ev.message.text}`); break; }
