// Where the bridge keeps its own files, all derived from bridge.database so a
// single setting moves everything (and tests get a private tree).
import { dirname, join } from 'node:path';
import type { Config } from './config/schema.ts';

export const dataDir = (c: Config): string => dirname(c.bridge.database);
/** Files waiting to be sent into Messages (Discord/Matrix downloads, API uploads); the sender only accepts files from here and imessage.send.allowed_file_dirs. */
export const outgoingDir = (c: Config, who?: string): string => (who ? join(dataDir(c), 'outgoing', who) : join(dataDir(c), 'outgoing'));
/** Where the API stages uploaded files before they go through the outbox. */
export const apiUploadDir = (bridgeDbPath: string): string => join(dirname(bridgeDbPath), 'api-uploads');
