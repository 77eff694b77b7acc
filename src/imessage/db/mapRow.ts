// One message row → one IMessage. Pure apart from the cached handle/chat
// lookups it is given; classification itself is ../classify.ts.
import { chatGuid, messageGuid } from '../../ids.ts';
import type { Attachment, IMessage, MessageKind, Service } from '../model.ts';
import { classify, parseThreadPart, type Classified } from '../classify.ts';
import { appleMsToEpochMs } from '../dates.ts';
import { earlierTexts, parseSummaryInfo, retractedParts } from '../summaryInfo.ts';
import { serviceFromChatGuid, serviceFromName, type ChatRef } from './chat.ts';
import type { MessageRow } from './message.ts';
import { readBody } from './text.ts';

export interface RowContext {
  handleId(rowid: number | null): string | null;
  chat(rowid: number | null): ChatRef | null;
  attachments: ReadonlyMap<number, Attachment[]>;
}

const NO_ATTACHMENTS: Attachment[] = [];
const NONE: never[] = [];

function kindOf(c: Classified): MessageKind {
  switch (c.kind) {
    case 'text': return 'text';
    case 'reaction': return 'reaction';
    case 'group_event': return 'group_event';
    case 'url_preview': return 'url_preview';
    case 'app': return 'app';
    case 'other': return 'other';
  }
}

export function rowToMessage(r: MessageRow, ctx: RowContext): IMessage {
  const fromMe = r[6] === 1;
  const chat = ctx.chat(r[28]);
  const handle = ctx.handleId(r[4]);
  // A deleted handle row leaves a 1:1 chat's identifier as the best guess of who wrote.
  const sender = fromMe ? 'me' : (handle ?? (chat && !chat.isGroup ? chat.identifier : ''));
  const service: Service = serviceFromName(r[5]) ?? (chat ? serviceFromChatGuid(chat.guid) : null) ?? chat?.service ?? 'unknown';

  const classified = classify({
    itemType: r[16] ?? 0, groupActionType: r[17] ?? 0, groupTitle: r[18], otherHandle: ctx.handleId(r[19]), actor: sender,
    associatedType: r[21] ?? 0, associatedGuid: r[20], associatedEmoji: r[22], balloonBundleId: r[23], hasPayload: r[24] === 1,
  });

  const body = readBody(r[3], r[2]);
  let warnings: string[] = body.warning ? [body.warning] : NONE;
  let edits: string[] = NONE;
  let retracted: number[] = NONE;
  let unsent = false;
  const dateRetracted = appleMsToEpochMs(r[11]);
  if (r[27]) {
    const info = parseSummaryInfo(r[27]);
    edits = earlierTexts(info);
    retracted = retractedParts(info);
    if (info.warnings.length) warnings = [...warnings, ...info.warnings];
    // Unsending one part of a multi-part message leaves the others readable.
    unsent = dateRetracted !== null && (retracted.length === 0 || retracted.length === info.parts.length || body.text === '');
  } else {
    unsent = dateRetracted !== null;
  }

  return {
    rowid: r[0],
    guid: messageGuid(r[1]),
    chatGuid: chat ? chatGuid(chat.guid) : null,
    kind: kindOf(classified),
    fromMe,
    sender,
    service,
    date: appleMsToEpochMs(r[7]),
    dateRead: appleMsToEpochMs(r[8]),
    dateDelivered: appleMsToEpochMs(r[9]),
    dateEdited: appleMsToEpochMs(r[10]),
    dateRetracted,
    text: body.text,
    rawText: body.rawText,
    attachments: ctx.attachments.get(r[0]) ?? NO_ATTACHMENTS,
    reaction: classified.kind === 'reaction' ? classified.reaction : null,
    replyTo: r[25] ? { guid: messageGuid(r[25]), part: parseThreadPart(r[26]) } : null,
    edits,
    unsent,
    retractedParts: retracted,
    event: classified.kind === 'group_event' ? classified.event : null,
    isSent: r[12] === 1,
    isDelivered: r[13] === 1,
    isRead: r[14] === 1,
    error: r[15] ?? 0,
    balloonBundleId: r[23],
    warnings,
  };
}
