import type { Migration } from './index.ts';

// Matrix kept hand-off marks (matrix_state `handoff:<event>`) so a retried
// event was not sent twice. The outbox now knows every origin (migration 004:
// unique per connector, event and part), so the marks are dead weight.
export const m031MatrixHandoffs: Migration = {
  version: 31,
  name: 'matrix: hand-off marks give way to the outbox origin',
  up(db) {
    db.prepare("DELETE FROM matrix_state WHERE key LIKE 'handoff:%'").run();
  },
};
