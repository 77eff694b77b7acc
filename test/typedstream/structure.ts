// A canonical view of a typedstream's object graph: classes, versions, typed
// values, with shared references expanded. Two streams with the same view
// carry the same structure even if one shares an object the other repeats.
import { Raw, TSClass, TSObject, TypedstreamReader, type Value } from '../../src/imessage/typedstream/reader.ts';

function chain(c: TSClass | null | undefined): string {
  const names: string[] = [];
  for (; c; c = c.superclass) names.push(`${c.name}v${c.version}`);
  return names.join('<');
}

function view(v: Value, buf: Buffer, depth: number): unknown {
  if (depth > 20) return '…';
  if (v instanceof Raw) return buf.subarray(v.start, v.end).toString('utf8');
  if (v instanceof TSClass) return { class: chain(v) };
  if (v instanceof TSObject) return { [chain(v.cls)]: v.fields.map((f) => view(f, buf, depth + 1)) };
  if (Array.isArray(v)) return v.map((f) => view(f, buf, depth + 1));
  return v;
}

export function structureOf(buf: Buffer): unknown {
  const r = new TypedstreamReader(buf);
  r.header();
  const root: Value[] = [];
  r.groupInto(root, r.head());
  return root.map((v) => view(v, buf, 0));
}
