import { useEffect, useRef } from 'preact/hooks';
import type { Api } from '../api';
import type { ChatJson, Fate, MessageJson } from '../types';
import { chatTitle, eventLine, fateLabel, foldReactions, senderLabel, timeOf } from '../format';
import { Attachment } from './Attachment';
import { Linkified } from './Linkified';

interface Props { api: Api; chat: ChatJson; messages: MessageJson[]; focus: string | null; fates: Map<string, Fate>; onEarlier: () => void }

export function Conversation({ api, chat, messages, focus, fates, onEarlier }: Props) {
  const end = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const last = messages[messages.length - 1]?.guid;
  useEffect(() => {
    const target = focus ? box.current?.querySelector(`[data-guid="${CSS.escape(focus)}"]`) : null;
    (target ?? end.current)?.scrollIntoView?.({ block: target ? 'center' : 'end' });
  }, [last, focus, chat.guid]);
  const byGuid = new Map(messages.map((m) => [m.guid, m]));
  const reactions = foldReactions(messages);
  const shown = messages.filter((m) => !m.reaction);
  return (
    <div class="messages" aria-label="Messages" ref={box}>
      {messages.length >= 100 && <button class="link earlier" onClick={onEarlier}>Load earlier messages</button>}
      {shown.map((m, i) => {
        if (m.event) return <div class="event" key={m.guid}>{eventLine(m)}</div>;
        const quoted = m.reply_to ? byGuid.get(m.reply_to.guid) : undefined;
        const rx = [...(reactions.get(m.guid) ?? [])].filter(([, who]) => who.size > 0);
        const prev = shown[i - 1];
        const showSender = chat.is_group && !m.from_me && (!prev || prev.sender !== m.sender || !!prev.event);
        const fate = fates.get(m.guid);
        const cls = ['bubble', m.from_me ? 'me' : 'them', m.unsent ? 'unsent' : '', m.guid === focus ? 'focused' : '', rx.length ? 'has-tapbacks' : ''].filter(Boolean).join(' ');
        return (
          <div class={`row ${m.from_me ? 'me' : 'them'}`} key={m.guid}>
            {showSender && <div class="sender">{senderLabel(m)}</div>}
            <div class={cls} data-guid={m.guid} title={timeOf(m.date)}>
              {m.reply_to && (
                <blockquote class="reply">{quoted ? <><strong>{senderLabel(quoted)}</strong> {quoted.text.slice(0, 90) || '(attachment)'}</> : 'Reply to an earlier message'}</blockquote>
              )}
              {m.unsent ? <em>This message was unsent.</em> : m.text && <div class="text" dir="auto"><Linkified text={m.text} /></div>}
              {!m.unsent && m.attachments.map((a, j) => <Attachment key={j} api={api} guid={m.guid} part={j} att={a} />)}
              {rx.length > 0 && (
                <div class="tapbacks" aria-label="Tapbacks">{rx.map(([e, who]) => <span key={e} title={[...who].join(', ')}>{e}{who.size > 1 ? who.size : ''}</span>)}</div>
              )}
            </div>
            <div class="meta">
              {timeOf(m.date)}
              {m.edited_at && <span class="edited" title={m.edits.length ? `Before: ${m.edits.join(' → ')}` : undefined}> · Edited</span>}
              {fate && <span class={`fate-badge ${fate.state}`}> · {fateLabel(fate)}</span>}
              {m.error !== 0 && <span class="error"> · Not delivered (error {m.error})</span>}
            </div>
          </div>
        );
      })}
      {messages.length === 0 && <p class="empty">No messages.</p>}
      <div ref={end} />
    </div>
  );
}

export function ChatHeader({ chat }: { chat: ChatJson }) {
  const people = chat.participant_names ?? chat.participants;
  return (
    <header class="chat-header">
      <h2>{chatTitle(chat)}</h2>
      <span class="sub">{chat.is_group ? people.join(', ') : `${chat.participants.join(', ')} · ${chat.service}`}</span>
    </header>
  );
}
