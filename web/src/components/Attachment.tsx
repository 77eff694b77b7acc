import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api';
import type { AttachmentJson } from '../types';
import { sizeOf } from '../format';

/** Fetched with the token (an <img src> can't carry it), shown from a blob: URL. */
export function Attachment({ api, guid, part, att }: { api: Api; guid: string; part: number; att: AttachmentJson }) {
  const [url, setUrl] = useState<string | null>(null);
  const [broken, setBroken] = useState(false);
  const name = att.transfer_name ?? `attachment ${part + 1}`;
  useEffect(() => {
    let made: string | null = null;
    let live = true;
    api.attachmentUrl(guid, part).then((u) => { made = u; if (live) setUrl(u); else URL.revokeObjectURL(u); }, () => setBroken(true));
    return () => { live = false; if (made) URL.revokeObjectURL(made); };
  }, [api, guid, part]);
  const mime = att.mime_type ?? '';
  if (url && !broken && mime.startsWith('image/')) return <img class="attachment image" src={url} alt={name} onError={() => setBroken(true)} />;
  if (url && mime.startsWith('audio/') && mime !== 'audio/x-caf') return <audio class="attachment" controls src={url} />;
  const icon = mime.startsWith('image/') ? '🖼️' : mime.startsWith('audio/') ? '🎵' : mime.startsWith('video/') ? '🎬' : '📎';
  return (
    <a class="attachment file" href={url ?? undefined} download={name} aria-disabled={!url}>
      <span class="icon">{icon}</span><span class="name">{name}</span><span class="size">{sizeOf(att.size)}</span>
    </a>
  );
}
