// A stand-in for MessagesSimulator at the fake osascript's seam (plugged in with
// FAKE_OSASCRIPT_SIM_MODULE): it keeps chats and sent rows in JSON files in the
// sim folder, so tests can check exactly what "Messages" received.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RecordedRow { chat: string; text?: string; attachments?: { name: string; mime?: string; bytes?: string }[]; error?: number; ghost?: boolean; flipDelayMs?: number }
interface State { chats: string[]; rows: RecordedRow[] }

const file = (dir: string) => join(dir, 'recording-sim.json');

export function readRecorded(dir: string): State {
  return existsSync(file(dir)) ? (JSON.parse(readFileSync(file(dir), 'utf8')) as State) : { chats: [], rows: [] };
}

export function seedChats(dir: string, chats: string[]): void {
  writeFileSync(file(dir), JSON.stringify({ ...readRecorded(dir), chats }));
}

export class MessagesSimulator {
  private constructor(private readonly dir: string, private readonly state: State) {}
  static open(dir: string): MessagesSimulator { return new MessagesSimulator(dir, readRecorded(dir)); }
  findChat(g: string): { guid: string } | null { const c = this.state.chats.find((x) => x === g); return c ? { guid: c } : null; }
  addChat(o: { participants: string[]; service?: string }): { guid: string } {
    const guid = `${o.service ?? 'iMessage'};-;${o.participants[0] ?? ''}`;
    this.state.chats.push(guid);
    return { guid };
  }
  sendFromMe(chat: { guid: string }, o: { text?: string; attachments?: { name: string; mime?: string; bytes?: Buffer }[]; error?: number; ghost?: boolean; flipDelayMs?: number }): void {
    const { attachments, ...rest } = o;
    const row: RecordedRow = { chat: chat.guid, ...rest };
    if (attachments) row.attachments = attachments.map((a) => ({ ...a, bytes: a.bytes?.toString('base64') }));
    this.state.rows.push(row);
  }
  close(): void { writeFileSync(file(this.dir), JSON.stringify(this.state)); }
}
