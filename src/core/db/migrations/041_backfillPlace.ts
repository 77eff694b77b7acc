import type { Migration } from './index.ts';

// Where a run's history goes when it is not the portal itself: the remote id
// of the "Earlier messages" thread a connector made for it, saved once made so
// a redelivery after a restart posts into the same thread.
export const m041BackfillPlace: Migration = {
  version: 41,
  name: 'backfill run place',
  up(db) {
    db.exec('ALTER TABLE backfill_run ADD COLUMN place TEXT');
  },
};
