import type { ChatJson } from '../types';
import { chatTitle, timeOf } from '../format';
import { Avatar } from './Avatar';

export function ChatList({ chats, selected, unread, onSelect }: { chats: ChatJson[]; selected: string | null; unread: Map<string, number>; onSelect: (g: string) => void }) {
  if (chats.length === 0) return <p class="empty">No chats yet.</p>;
  return (
    <ul class="chats" aria-label="Chats">
      {chats.map((c) => {
        const title = chatTitle(c);
        const count = unread.get(c.guid) ?? 0;
        return (
          <li key={c.guid}>
            <button class={`chat${selected === c.guid ? ' active' : ''}${count ? ' has-unread' : ''}`} data-guid={c.guid} onClick={() => onSelect(c.guid)}>
              <Avatar name={title} group={c.is_group} />
              <span class="title">{title}</span>
              <span class="when">{timeOf(c.last_message_at)}</span>
              <span class="sub">{c.service === 'SMS' ? 'SMS' : c.is_group ? `${c.participants.length + 1} people` : 'iMessage'}</span>
              {count > 0 && <span class="unread" aria-label={`${count} unread`}>{count}</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
