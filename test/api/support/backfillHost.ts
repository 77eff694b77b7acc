// A gateway process of its own for searchReaders.test.ts: startApi on the given
// chat.db with two search read processes, so a test can kill this process mid-backfill
// and see what becomes of its readers. Usage: backfillHost.ts <chat.db> <home> <bridge.db>
import { pino } from 'pino';
import { apiSection } from '../../../src/config/sections/api.ts';
import { openBridgeDb } from '../../../src/core/db/bridgeDb.ts';
import { startApi } from '../../../src/api/index.ts';
import { apiKit } from '../../../src/core/kit/api.ts';
import { FakeGateway } from './fakeGateway.ts';

const [chatDbPath, home, bridgePath] = process.argv.slice(2) as [string, string, string];
await startApi({
  config: apiSection.parse({ port: 0, web_client: false }), chatDbPath, home, kit: apiKit(openBridgeDb(bridgePath)),
  gateway: new FakeGateway(), log: pino({ level: 'silent' }), progress: false, searchReaders: 2, searchBatch: 100,
});
process.stdout.write('listening\n');
