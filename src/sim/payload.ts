// payload_data of balloon messages: an NSKeyedArchiver binary plist, as
// Messages stores rich-link metadata and iMessage-app messages. Readers only
// need to recognize these rows; the archive is shaped like the real one so a
// reader that does look inside finds the usual keys.
import { PlistUid, writeBplist, type PlistValue } from './bplist.ts';

class Archive {
  readonly objects: PlistValue[] = ['$null'];
  private readonly classes = new Map<string, PlistUid>();

  add(v: PlistValue): PlistUid {
    this.objects.push(v);
    return new PlistUid(this.objects.length - 1);
  }

  string(s: string): PlistUid {
    return this.add(s);
  }

  cls(name: string, supers: string[] = ['NSObject']): PlistUid {
    let uid = this.classes.get(name);
    if (!uid) {
      uid = this.add({ $classname: name, $classes: [name, ...supers] });
      this.classes.set(name, uid);
    }
    return uid;
  }

  url(s: string): PlistUid {
    return this.add({ 'NS.base': new PlistUid(0), 'NS.relative': this.string(s), $class: this.cls('NSURL') });
  }

  finish(root: PlistUid): Buffer {
    return writeBplist({ $version: 100000, $archiver: 'NSKeyedArchiver', $top: { root }, $objects: this.objects });
  }
}

function hostOf(url: string): string {
  try { return new URL(url).hostname; } catch { return url; }
}

/** Rich link metadata for a URL preview balloon. */
export function richLinkPayload(url: string, title?: string): Buffer {
  const a = new Archive();
  const root = a.add({});
  const meta = {
    URL: a.url(url), originalURL: a.url(url), title: a.string(title ?? hostOf(url)),
    summary: a.string(`A page on ${hostOf(url)}`), $class: a.cls('LPLinkMetadata'),
  };
  a.objects[root.value] = { richLinkMetadata: a.add(meta), richLinkIsPlaceholder: false, $class: a.cls('RichLink') };
  return a.finish(root);
}

/** An iMessage app (MSMessage extension) balloon; `ldtext` is the caption Messages shows. */
export function appPayload(bundle: string, text?: string): Buffer {
  const a = new Archive();
  const fields: Record<string, PlistValue> = { an: a.string(bundle.split('.').pop() ?? bundle), $class: a.cls('NSMutableDictionary', ['NSDictionary', 'NSObject']) };
  if (text) fields.ldtext = a.string(text);
  fields.URL = a.url(`data:,${encodeURIComponent(text ?? '')}`);
  return a.finish(a.add(fields));
}
