// The chats `init` offers as mirrors: newest first, labelled with contact
// names, so the user picks "Ada Lovelace", not "+15551230001".
import { join } from 'node:path';
import { ChatDb } from '../../imessage/db/index.ts';
import { ContactBook } from '../../imessage/contacts/index.ts';

export function recentChats(chatDbPath: string, contactsDir: string, region = 'US'): { guid: string; label: string }[] {
  const db = ChatDb.open(chatDbPath, { home: join(chatDbPath, '../../..') });
  const contacts = new ContactBook({ dir: contactsDir, defaultRegion: region });
  try {
    return db.chats()
      .sort((a, b) => (b.lastMessageAt ?? 0) - (a.lastMessageAt ?? 0))
      .map((c) => ({ guid: c.guid, label: c.displayName ?? (c.participants.map((p) => contacts.displayName(p)).join(', ') || c.identifier) }));
  } finally {
    db.close();
    contacts.close();
  }
}
