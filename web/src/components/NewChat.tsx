import { useEffect, useState } from 'preact/hooks';
import type { ChatJson } from '../types';

// The same shape the API accepts for `to`: E.164 or an email address.
const HANDLE = /^(\+[1-9]\d{5,14}|[^\s@]+@[^\s@]+\.[^\s@]+)$/;
/** "+1 (555) 123-0009" → "+15551230009"; emails as typed. */
export const normalizeHandle = (s: string): string => (s.includes('@') ? s.trim() : s.replace(/[\s().-]/g, ''));

interface Props { chats: ChatJson[]; canSend: boolean | null; onSend: (to: string, text: string) => Promise<boolean>; onOpen: (chat: string) => void; onCancel: () => void }

/** A new conversation by phone number or email; opens the chat once Messages has it. */
export function NewChat({ chats, canSend, onSend, onOpen, onCancel }: Props) {
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [waiting, setWaiting] = useState<string | null>(null);
  useEffect(() => {
    if (!waiting) return;
    const found = chats.find((c) => !c.is_group && c.participants.includes(waiting));
    if (found) onOpen(found.guid);
  }, [chats, waiting]);
  return (
    <section class="new-chat" aria-labelledby="new-title">
      <header class="chat-header">
        <button type="button" class="back" aria-label="Back to chats" onClick={onCancel}>‹ <span>Chats</span></button>
        <div class="who"><h2 id="new-title">New message</h2></div>
      </header>
      <form onSubmit={async (e) => {
        e.preventDefault();
        const handle = normalizeHandle(to);
        if (!HANDLE.test(handle)) { setProblem('Enter a phone number with its country code, like +15551234567, or an email address.'); return; }
        if (!text.trim()) { setProblem('Write a message to start the conversation.'); return; }
        setProblem(null);
        if (await onSend(handle, text.trim())) { setWaiting(handle); setText(''); }
      }}>
        <label for="new-to">To</label>
        <input id="new-to" name="to" type="text" inputMode="email" autocomplete="off" placeholder="+15551234567 or name@example.com" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        <label for="new-text">Message</label>
        <textarea id="new-text" name="new-message" rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        {problem && <p class="error" role="alert">{problem}</p>}
        {canSend === false && <p class="readonly" role="status">This token can read only, so it can’t start conversations.</p>}
        {waiting && <p class="hint" role="status">Sent to {waiting}. The conversation opens as soon as Messages has it.</p>}
        <button type="submit" class="primary" disabled={canSend === false}>Send</button>
      </form>
    </section>
  );
}
