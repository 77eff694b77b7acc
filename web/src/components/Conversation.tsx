import { useEffect, useRef } from 'preact/hooks';
import type { Api } from '../api';
import type { Conversation as Conv } from '../useBridge';
import type { ChatJson, Fate, MessageJson } from '../types';
import { chatTitle, clock, dayLabel, eventLine, fateLabel, foldReactions, isSms, receiptOf, sameDay, sameGroup, senderLabel, type NameOf } from '../format';
import { Attachment } from './Attachment';
import { Linkified } from './Linkified';

interface Props {
  api: Api; chat: ChatJson; conv: Conv; focus: string | null; fates: Map<string, Fate>;
  onEarlier: () => void; onReply: (m: MessageJson) => void; onView: (url: string, name: string) => void; nameOf: NameOf;
}

export function Conversation({ api, chat, conv, focus, fates, onEarlier, onReply, onView, nameOf }: Props) {
  const end = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const { messages } = conv;
  const last = messages[messages.length - 1]?.guid;
  // Opened at the newest message (or the searched one), and kept at the
  // bottom while pictures load above it, unless the reader scrolled away.
  const pinned = useRef(true);
  const toEnd = (): void => {
    const target = focus ? box.current?.querySelector(`[data-guid="${CSS.escape(focus)}"]`) : null;
    (target ?? end.current)?.scrollIntoView?.({ block: target ? 'center' : 'end' });
  };
  useEffect(() => { pinned.current = true; }, [chat.guid, focus]);
  useEffect(() => { if (pinned.current) toEnd(); }, [last, focus, chat.guid, messages.length]);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onLoad = (): void => { if (pinned.current) toEnd(); };
    const onScroll = (): void => { pinned.current = focus ? pinned.current : el.scrollHeight - el.scrollTop - el.clientHeight < 80; };
    el.addEventListener('load', onLoad, true); // media 'load' doesn't bubble: capture it
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => { el.removeEventListener('load', onLoad, true); el.removeEventListener('scroll', onScroll); };
  });
  const byGuid = new Map(messages.map((m) => [m.guid, m]));
  const reactions = foldReactions(messages);
  const shown = messages.filter((m) => !m.reaction);
  // Delivered/Read goes under your last sent message only, like Messages.
  const lastMine = [...shown].reverse().find((m) => m.from_me && !m.event && !m.unsent)?.guid;
  return (
    // A log: screen readers announce messages added at the end.
    <div class="messages" role="log" aria-live="polite" aria-label={`Messages with ${chatTitle(chat)}`} tabIndex={0} ref={box}>
      {messages.length >= 100 && <button type="button" class="link earlier" onClick={onEarlier}>Load earlier messages</button>}
      {shown.flatMap((m, i) => {
        const prev = shown[i - 1];
        const next = shown[i + 1];
        // One flat, keyed list (separators included), so a row is never reused for another message.
        const day = !prev || !sameDay(prev.date, m.date) ? [<div class="day" key={`d${m.guid}`}>{dayLabel(m.date)}</div>] : [];
        if (m.event) return [...day, <div class="event" key={m.guid}>{eventLine(m, nameOf)}</div>];
        const first = !sameGroup(prev, m);
        const lastOfGroup = !next || !sameGroup(m, next);
        const quoted = m.reply_to ? byGuid.get(m.reply_to.guid) : undefined;
        const rx = [...(reactions.get(m.guid) ?? [])].filter(([, who]) => who.size > 0);
        const fate = fates.get(m.guid);
        const receipt = m.guid === lastMine && !fate ? receiptOf(m) : '';
        const side = m.from_me ? 'me' : 'them';
        const cls = ['bubble', side, m.unsent ? 'unsent' : '', m.guid === focus ? 'focused' : '', rx.length ? 'has-tapbacks' : '', lastOfGroup ? 'tail' : ''].filter(Boolean).join(' ');
        const time = m.date ? clock(new Date(m.date)) : '';
        return [...day, (
          <div class={`row ${side}${first ? ' first' : ''}`} key={m.guid}>
            {first && chat.is_group && !m.from_me && <div class="sender">{senderLabel(m)}</div>}
            <div class="line">
              <div class={cls} data-guid={m.guid} title={time} tabIndex={-1}>
                {m.reply_to && (
                  <blockquote class="reply">{quoted ? <><strong>{senderLabel(quoted)}</strong> {quoted.text.slice(0, 90) || '(attachment)'}</> : 'Reply to an earlier message'}</blockquote>
                )}
                {m.unsent ? <em>{m.from_me ? 'You' : senderLabel(m)} unsent a message.</em> : m.kind === 'url_preview' && m.text ? <LinkCard text={m.text} /> : m.text && <div class="text" dir="auto"><Linkified text={m.text} /></div>}
                {!m.unsent && m.attachments.map((a, j) => <Attachment key={`${m.guid}:${j}`} api={api} guid={m.guid} part={j} att={a} onView={onView} />)}
                {rx.length > 0 && (
                  <div class="tapbacks" aria-label="Tapbacks">{rx.map(([e, who]) => <span key={e} title={[...who].join(', ')}>{e}{who.size > 1 ? who.size : ''}</span>)}</div>
                )}
              </div>
              {!m.unsent && <button type="button" class="reply-btn" aria-label={`Reply to “${(m.text || 'attachment').slice(0, 40)}”`} title="Reply with a quote" onClick={() => onReply(m)}>{'↩\uFE0E'}</button>}
            </div>
            {(lastOfGroup || m.edited_at || fate || receipt || m.error !== 0) && (
              <div class="meta">
                {lastOfGroup && <time dateTime={m.date ?? undefined}>{time}</time>}
                {m.edited_at && <span class="edited" title={m.edits.length ? `Before: ${m.edits.join(' → ')}` : undefined}> · Edited</span>}
                {fate && <span class={`fate-badge ${fate.state}`}> · {fateLabel(fate)}</span>}
                {receipt && <span class="receipt"> · {receipt}</span>}
                {m.error !== 0 && <span class="error"> · Not delivered</span>}
              </div>
            )}
          </div>
        )];
      })}
      {conv.state === 'loading' && <p class="empty">Loading…</p>}
      {conv.state === 'failed' && <p class="empty">This conversation can’t be loaded while the bridge is unreachable.</p>}
      {conv.state === 'ready' && messages.length === 0 && <p class="empty">No messages yet.</p>}
      <div ref={end} />
    </div>
  );
}

/** A link preview: chat.db keeps the URL (title and image are not in the API), shown as a card. */
function LinkCard({ text }: { text: string }) {
  let url: URL | null = null;
  try { url = new URL(text.trim()); } catch { /* not a bare URL */ }
  if (!url || !/^https?:$/.test(url.protocol)) return <div class="text" dir="auto"><Linkified text={text} /></div>;
  return (
    <a class="link-card" href={url.href} target="_blank" rel="noopener noreferrer">
      <span class="host">{url.hostname.replace(/^www\./, '')}</span>
      <span class="path">{safeDecode(url.pathname + url.search)}</span>
    </a>
  );
}

export function ChatHeader({ chat, offline, onBack }: { chat: ChatJson; offline: boolean; onBack: () => void }) {
  const people = chat.participant_names ?? chat.participants;
  return (
    <header class="chat-header">
      <button type="button" class="back" aria-label="Back to chats" onClick={onBack}>‹ <span>Chats</span></button>
      <div class="who">
        <h2 id="chat-title">{chatTitle(chat)}</h2>
        <span class="sub">
          {chat.is_group ? people.join(', ') : chat.participants.join(', ')}
          {isSms(chat.service) && <span class="sms-tag"> · {chat.service}</span>}
          {offline && <span class="offline-tag"> · Offline</span>}
        </span>
      </div>
    </header>
  );
}

const safeDecode = (s: string): string => { try { return decodeURI(s); } catch { return s; } };
