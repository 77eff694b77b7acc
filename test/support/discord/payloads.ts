// What the bot asked Discord to show, request by request. allowed_mentions is
// a property of each create/edit request (Discord doesn't remember it), so
// tests must look at every payload, not at the stored message.
export interface SentPayload {
  method: string;
  /** Route template, tokens left out: `/webhooks/:id/:token/messages/:message`. */
  route: string;
  content: string | null;
  allowedMentions: unknown;
}

const MESSAGE_ROUTES: Array<[string, RegExp, string]> = [
  ['POST', /^\/channels\/\d+\/messages$/, '/channels/:channel/messages'],
  ['PATCH', /^\/channels\/\d+\/messages\/\d+$/, '/channels/:channel/messages/:message'],
  ['POST', /^\/webhooks\/\d+\/[^/]+$/, '/webhooks/:id/:token'],
  ['PATCH', /^\/webhooks\/\d+\/[^/]+\/messages\/[^/]+$/, '/webhooks/:id/:token/messages/:message'],
  ['POST', /^\/interactions\/\d+\/[^/]+\/callback$/, '/interactions/:id/:token/callback'],
];

/** The payload of a message-bearing request, or null for any other request. */
export function sentPayload(method: string, path: string, body: Record<string, unknown>): SentPayload | null {
  const hit = MESSAGE_ROUTES.find(([m, re]) => m === method && re.test(path));
  if (!hit) return null;
  // Interaction callbacks wrap the message in `data`; a deferral (type 5) shows nothing yet.
  const msg = hit[2].startsWith('/interactions') ? (body.data as Record<string, unknown> | undefined) ?? {} : body;
  const content = typeof msg.content === 'string' ? msg.content : null;
  return { method, route: hit[2], content, allowedMentions: msg.allowed_mentions };
}
