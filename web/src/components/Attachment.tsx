import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api';
import type { AttachmentJson } from '../types';
import { attachmentKind, sizeOf } from '../format';

const ICON = { image: '🖼️', voice: '🎤', audio: '🎵', video: '🎬', file: '📄' } as const;

/**
 * Fetched with the token (an <img src> can't carry it), shown from a blob:
 * URL. The API serves the playable version (HEIC as JPEG, voice as Ogg), so
 * what the browser can't show is offered as a file chip instead.
 */
export function Attachment({ api, guid, part, att, onView }: { api: Api; guid: string; part: number; att: AttachmentJson; onView: (url: string, name: string) => void }) {
  const [file, setFile] = useState<{ url: string; type: string } | null>(null);
  const [broken, setBroken] = useState(false);
  const name = att.transfer_name ?? `attachment ${part + 1}`;
  const kind = attachmentKind(att);
  useEffect(() => {
    let made: string | null = null;
    let live = true;
    api.attachmentUrl(guid, part).then((f) => { made = f.url; if (live) setFile(f); else URL.revokeObjectURL(f.url); }, () => setBroken(true));
    return () => { live = false; if (made) URL.revokeObjectURL(made); };
  }, [api, guid, part]);
  const url = file?.url;
  if (url && !broken && kind === 'image') {
    return (
      <button type="button" class="thumb" aria-label={`Open photo ${name}`} onClick={() => onView(url, name)}>
        <img class="attachment image" src={url} alt={name} onError={() => setBroken(true)} />
      </button>
    );
  }
  const playable = !!file && (kind === 'voice' || kind === 'audio') && document.createElement('audio').canPlayType(file.type) !== '';
  if (url && playable && !broken) {
    return (
      <div class={`attachment player ${kind}`}>
        <span class="label">{kind === 'voice' ? '🎤 Voice message' : `🎵 ${name}`}</span>
        <audio controls preload="metadata" src={url} aria-label={kind === 'voice' ? 'Voice message' : name} onError={() => setBroken(true)} />
      </div>
    );
  }
  if (url && kind === 'video' && !broken) return <video class="attachment video" controls preload="metadata" src={url} aria-label={name} onError={() => setBroken(true)} />;
  return (
    <a class="attachment file" href={url} download={name} aria-disabled={!url} title={broken ? 'Not downloaded on the Mac yet' : undefined}>
      <span class="icon" aria-hidden="true">{ICON[kind]}</span><span class="name">{kind === 'voice' ? 'Voice message' : name}</span><span class="size">{sizeOf(att.size)}</span>
    </a>
  );
}
