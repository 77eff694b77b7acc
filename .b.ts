import { ChatDb } from './src/imessage/db/index.ts';
const db = ChatDb.open('/tmp/decode-bench-own/chat.db', {});
let t = process.hrtime.bigint(); let n = 0; let peak = 0;
for (const m of db.iterateMessages()) { n++; if ((n & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage().rss); }
const s = Number(process.hrtime.bigint() - t) / 1e9;
console.log(n, Math.round(n / s), 'msg/s', Math.round(peak / 1048576), 'MB');
