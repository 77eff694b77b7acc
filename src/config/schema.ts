// The whole config, one typed section per part. Sections live in ./sections so
// each part owns its keys; config.example.yaml documents every one of them.
import { z } from 'zod';
import { imessageSection } from './sections/imessage.ts';
import { bridgeSection } from './sections/bridge.ts';
import { discordSection } from './sections/discord.ts';
import { matrixSection } from './sections/matrix.ts';
import { apiSection } from './sections/api.ts';
import { withBridgeNames } from './bridgeNames.ts';

export const configSchema = z.preprocess(withBridgeNames, z.object({
  imessage: imessageSection.prefault({}),
  bridge: bridgeSection.prefault({}),
  discord: discordSection.optional(),
  matrix: matrixSection.optional(),
  api: apiSection.optional(),
}).strict());

export type Config = z.infer<typeof configSchema>;
export type DiscordConfig = z.infer<typeof discordSection>;
export type MatrixConfig = z.infer<typeof matrixSection>;
export type ApiConfig = z.infer<typeof apiSection>;
