import type { ChatJson, MessageJson } from '../types';
import { chatTitle, previewOf, timeOf, type NameOf } from '../format';
import { Avatar } from './Avatar';

interface Props { chats: ChatJson[]; loaded: boolean; selected: string | null; unread: Map<string, number>; last: Map<string, MessageJson>; onSelect: (g: string) => void; nameOf: NameOf }

export function ChatList({ chats, loaded, selected, unread, last, onSelect, nameOf }: Props) {
  if (chats.length === 0) return <p class="empty">{loaded ? 'No chats yet.' : 'Loading chats…'}</p>;
  return (
    <ul class="chats" aria-label="Chats">
      {chats.map((c) => {
        const title = chatTitle(c);
        const count = unread.get(c.guid) ?? 0;
        const m = last.get(c.guid);
        const when = m?.date ?? c.last_message_at;
        return (
          <li key={c.guid}>
            <button class={`chat${selected === c.guid ? ' active' : ''}${count ? ' has-unread' : ''}`} data-guid={c.guid} aria-current={selected === c.guid ? 'true' : undefined} onClick={() => onSelect(c.guid)}>
              <Avatar name={title} group={c.is_group} />
              <span class="title">{title}</span>
              <time class="when" dateTime={when ?? undefined}>{timeOf(when)}</time>
              <span class="preview" dir="auto">{m ? previewOf(m, c.is_group, nameOf) : c.service === 'SMS' ? 'SMS' : ''}</span>
              {count > 0 && <span class="unread" aria-label={`${count} unread`}>{count}</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
