import { MessagesSimulator } from '../src/sim/simulator.ts';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
const dir = mkdtempSync(join(tmpdir(), 'sim-'));
const sim = MessagesSimulator.create({ dir });
const c = sim.addChat({ participants: ['+15551234567'] });
sim.receive(c, { from: '+15551234567', text: 'one' });
const reader = new Database(sim.dbPath, { readonly: true });
const count = () => reader.prepare('select count(*) from message').pluck().get();
console.log('before', count(), statSync(sim.dbPath + '-wal').ino);
sim.checkpoint({ replaceWal: true });
console.log('after', statSync(sim.dbPath + '-wal').ino);
sim.receive(c, { from: '+15551234567', text: 'two' });
try { console.log('reader sees', count()); } catch (e) { console.log('reader err', (e as Error).message); }
const fresh = new Database(sim.dbPath, { readonly: true });
console.log('fresh sees', fresh.prepare('select count(*) from message').pluck().get());
sim.receive(c, { from: '+15551234567', text: 'three' });
try { console.log('reader sees', count()); } catch (e) { console.log('reader err', (e as Error).message); }
sim.close();
