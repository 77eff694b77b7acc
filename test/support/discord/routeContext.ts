import type { Actions } from './actions.ts';
import type { Gateway } from './gateway.ts';
import type { DiscordState } from './state.ts';
import type { Interaction } from './types.ts';

export interface RouteContext {
  state: DiscordState;
  actions: Actions;
  gateway: Gateway;
  maxUploadBytes: number;
  interactions: Map<string, Interaction>;
  gatewayUrl(): string;
}
