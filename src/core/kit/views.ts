// What a connector sees of the core's tables: the message map, its portals and
// its backfill runs, each already scoped to the connector's id, so a connector
// can neither read nor overwrite another's rows, and never names a core table.
import type { BackfillStore } from '../backfill/store.ts';
import type { MessageMap } from '../store/messageMap.ts';
import type { Portal, PortalStore } from '../store/portals.ts';
import type { ChatGuid, MessageGuid } from '../../ids.ts';
import type { PartCodec } from './parts.ts';

/** One remote message of an iMessage, under the connector's own part id. */
export interface MappedPart<P> {
  messageGuid: MessageGuid;
  part: P;
  remoteId: string;
  chatGuid: ChatGuid;
}

/** iMessage guid + part ↔ remote message id, for one connector. */
export interface MessageMapView<P> {
  put(m: MappedPart<P>): void;
  remote(guid: MessageGuid | string, part: P): string | null;
  /** Every remote message of an iMessage, in stored part order. */
  remotes(guid: MessageGuid | string): MappedPart<P>[];
  byRemote(remoteId: string): MappedPart<P> | null;
}

export type PortalRecord = Omit<Portal, 'connector'>;

/** chat guid ↔ room/channel, for one connector. */
export interface PortalView {
  byChat(chat: ChatGuid): PortalRecord | null;
  byRemote(remoteId: string): PortalRecord | null;
  all(): PortalRecord[];
  upsert(p: PortalRecord): void;
  remove(chat: ChatGuid): boolean;
}

/** A connector's backfill runs: where a run's thread is, and what its history already shows. */
export interface HistoryView {
  placeOf(run: number): string | null;
  setPlace(run: number, remoteId: string): void;
  /** Does a history line queued for this connector already show this edit? */
  showsEdit(chat: ChatGuid, guid: string, dateEdited: number | null): boolean;
}

export function messageMapView<P>(map: MessageMap, connector: string, codec: PartCodec<P>): MessageMapView<P> {
  const typed = (m: { messageGuid: MessageGuid; part: number; remoteId: string; chatGuid: ChatGuid }): MappedPart<P> => ({ ...m, part: codec.decode(m.part) });
  return {
    put: (m) => map.put(connector, { ...m, part: codec.encode(m.part) }),
    remote: (guid, part) => {
      for (const stored of [codec.encode(part), ...(codec.older?.(part) ?? [])]) {
        const id = map.remote(connector, guid, stored);
        if (id) return id;
      }
      return null;
    },
    remotes: (guid) => map.remotes(connector, guid).map(typed),
    byRemote: (remoteId) => { const m = map.byRemote(connector, remoteId); return m ? typed(m) : null; },
  };
}

export function portalView(store: PortalStore, connector: string): PortalView {
  const strip = ({ connector: _c, ...rest }: Portal): PortalRecord => rest;
  return {
    byChat: (chat) => { const p = store.byChat(connector, chat); return p ? strip(p) : null; },
    byRemote: (remoteId) => { const p = store.byRemote(connector, remoteId); return p ? strip(p) : null; },
    all: () => store.all(connector).map(strip),
    upsert: (p) => store.upsert({ ...p, connector }),
    remove: (chat) => store.remove(connector, chat),
  };
}

export function historyView(runs: BackfillStore, connector: string): HistoryView {
  return {
    placeOf: (run) => runs.placeOf(run),
    setPlace: (run, remoteId) => runs.setPlace(run, remoteId),
    showsEdit: (chat, guid, dateEdited) => runs.historyShowsEdit(connector, chat, guid, dateEdited),
  };
}

