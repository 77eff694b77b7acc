import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from './api';
import type { ChatJson, Fate, MessageJson } from './types';
import { chatTitle, eventLine, foldReactions, senderLabel, timeOf } from './format';

export function Login({ onToken, error }: { onToken: (t: string) => void; error: string | null }) {
  const [value, setValue] = useState('');
  return (
    <form class="login" onSubmit={(e) => { e.preventDefault(); if (value.trim()) onToken(value.trim()); }}>
      <h1>iMessage bridge</h1>
      <p>Paste an API token (<code>imessage-bridge token new --scope read,send</code>). It is kept in this tab only.</p>
      <input type="password" name="token" autocomplete="off" placeholder="imb_…" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      <button type="submit">Sign in</button>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}

export function ChatList({ chats, selected, unread, onSelect }: { chats: ChatJson[]; selected: string | null; unread: Set<string>; onSelect: (g: string) => void }) {
  return (
    <ul class="chats" aria-label="Chats">
      {chats.map((c) => (
        <li key={c.guid}>
          <button class={`chat ${selected === c.guid ? 'active' : ''}`} data-guid={c.guid} onClick={() => onSelect(c.guid)}>
            <span class="title">{chatTitle(c)}</span>
            {unread.has(c.guid) && <span class="unread" aria-label="unread">●</span>}
            <span class="when">{timeOf(c.last_message_at)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function AttachmentView({ api, guid, part, name, mime }: { api: Api; guid: string; part: number; name: string; mime: string | null }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let revoked: string | null = null;
    api.attachmentUrl(guid, part).then((u) => { revoked = u; setUrl(u); }).catch(() => setUrl(null));
    return () => { if (revoked) URL.revokeObjectURL(revoked); };
  }, [guid, part]);
  if (url && mime?.startsWith('image/')) return <img class="attachment" src={url} alt={name} />;
  return <a class="attachment file" href={url ?? undefined} download={name}>📎 {name}</a>;
}

export function Conversation({ api, messages, byGuid }: { api: Api; messages: MessageJson[]; byGuid: Map<string, MessageJson> }) {
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => { end.current?.scrollIntoView?.(); }, [messages.length]);
  const reactions = foldReactions(messages);
  return (
    <div class="messages" aria-label="Messages">
      {messages.filter((m) => !m.reaction).map((m) => {
        if (m.event) return <div class="event" key={m.guid}>{eventLine(m)}</div>;
        const quoted = m.reply_to ? byGuid.get(m.reply_to.guid) : undefined;
        const rx = reactions.get(m.guid);
        return (
          <div class={`bubble ${m.from_me ? 'me' : 'them'} ${m.unsent ? 'unsent' : ''}`} key={m.guid} data-guid={m.guid}>
            <div class="meta">{senderLabel(m)} · {timeOf(m.date)}</div>
            {quoted && <blockquote class="reply">↪ {senderLabel(quoted)}: {quoted.text.slice(0, 80)}</blockquote>}
            {m.unsent ? <em>Message unsent</em> : <div class="text">{m.text}</div>}
            {m.attachments.map((a, i) => <AttachmentView key={i} api={api} guid={m.guid} part={i} name={a.transfer_name ?? 'file'} mime={a.mime_type} />)}
            {m.edited_at && <div class="edited" title={m.edits.join('\n→ ')}>Edited{m.edits.length ? ` (was: “${m.edits.at(-1)}”)` : ''}</div>}
            {m.error !== 0 && <div class="error">Not delivered (error {m.error})</div>}
            {rx && [...rx].some(([, who]) => who.size > 0) && (
              <div class="tapbacks">{[...rx].filter(([, who]) => who.size > 0).map(([e, who]) => <span key={e} title={[...who].join(', ')}>{e}{who.size > 1 ? who.size : ''}</span>)}</div>
            )}
          </div>
        );
      })}
      <div ref={end} />
    </div>
  );
}

export interface PendingSend { id: string; text: string; fate: Fate }

const FATE_LABEL: Record<Fate['state'], string> = { queued: '⏳ queued', sending: '⏳ sending', sent: '✅ sent', failed: '❌ failed', unknown: '❔ unconfirmed' };

export function Composer({ onSend, pending }: { onSend: (text: string, file?: File) => Promise<void>; pending: PendingSend[] }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const file = useRef<HTMLInputElement>(null);
  return (
    <div class="composer">
      <ul class="fates" aria-label="Sends">
        {pending.map((p) => <li key={p.id} class={`fate ${p.fate.state}`} data-state={p.fate.state}>{FATE_LABEL[p.fate.state]} — {p.text}{p.fate.reason ? `: ${p.fate.reason}` : ''}</li>)}
      </ul>
      <form onSubmit={async (e) => {
        e.preventDefault();
        const f = file.current?.files?.[0];
        if (!text.trim() && !f) return;
        setBusy(true);
        try { await onSend(text, f); setText(''); if (file.current) file.current.value = ''; } finally { setBusy(false); }
      }}>
        <input type="file" ref={file} aria-label="Attach a file" />
        <input type="text" name="message" placeholder="iMessage" value={text} onInput={(e) => setText(e.currentTarget.value)} disabled={busy} />
        <button type="submit" disabled={busy}>Send</button>
      </form>
    </div>
  );
}

export function SearchPanel({ api, onOpen }: { api: Api; onOpen: (chat: string) => void }) {
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Awaited<ReturnType<Api['search']>> | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <div class="search">
      <form onSubmit={async (e) => { e.preventDefault(); setError(null); try { setResults(await api.search(q)); } catch (err) { setError((err as Error).message); } }}>
        <input type="search" name="q" placeholder="Search messages" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      </form>
      {error && <p class="error">{error}</p>}
      {results && (
        <ul class="results" aria-label="Search results">
          {results.length === 0 && <li>No results</li>}
          {results.map((r) => (
            <li key={r.message.guid}>
              <button onClick={() => r.message.chat_guid && onOpen(r.message.chat_guid)}>
                <strong>{r.chat ? chatTitle(r.chat) : r.message.chat_guid}</strong>
                <Snippet text={r.snippet} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'" };

/** Highlights are <mark>…</mark>; everything else is rendered as text, never as HTML. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/<\/?mark>/);
  return <span class="snippet">{parts.map((p, i) => {
    const plain = p.replace(/&(lt|gt|amp|quot|#39);/g, (m) => ENTITIES[m] ?? m);
    return i % 2 === 1 ? <mark key={i}>{plain}</mark> : plain;
  })}</span>;
}
