// Whether a chat is mirrored to a connector: a link/unlink by hand first, then
// the connector's config rules (default: none). The delivery engine, the send
// policy and the API's `send_restriction: mirrored` all ask here.
import type { ChatGuid } from '../../ids.ts';
import type { Chat } from '../../imessage/model.ts';
import type { Connector } from '../connector.ts';
import type { BridgeDb } from '../db/bridgeDb.ts';
import { MirrorOverrides } from './overrides.ts';
import { MirrorPolicy, NO_MIRRORS } from './policy.ts';

export { MirrorPolicy, NO_MIRRORS, type MirrorRules } from './policy.ts';
export { chatKey, chatFromGuid, handleKey, handleOfGuid, sameChat } from './chatIdentity.ts';

export class Mirroring {
  private readonly policies = new Map<string, MirrorPolicy>();
  private readonly overrides: MirrorOverrides;

  constructor(db: BridgeDb, private readonly connectors: readonly Connector[], region = 'US') {
    this.overrides = new MirrorOverrides(db, region);
    for (const c of connectors) {
      if (c.mirroring || !c.wants) this.policies.set(c.id, new MirrorPolicy(c.mirroring?.rules ?? NO_MIRRORS, { nameOf: c.mirroring?.nameOf, region }));
    }
  }

  isMirrored(connector: string, chat: Chat): boolean {
    const c = this.connectors.find((x) => x.id === connector);
    if (!c) return false;
    const byHand = this.overrides.get(connector, chat.guid);
    if (byHand !== null) return byHand;
    const policy = this.policies.get(connector);
    if (policy) return policy.mirrors(chat);
    // A connector without rules (tests, embedders) answers for an exact guid itself.
    return c.wants?.(chat.guid as ChatGuid) === true;
  }

  anywhere(chat: Chat): boolean {
    return this.connectors.some((c) => this.isMirrored(c.id, chat));
  }

  /** A user linked (true) or unlinked (false) the chat by hand in this connector. */
  setByHand(connector: string, chat: ChatGuid, mirrored: boolean): void {
    this.overrides.set(connector, chat, mirrored);
  }
}
