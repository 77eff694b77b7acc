// What the Matrix connector asks of the core: views scoped to its id, storage
// for the matrix_* tables only, and its own migrations (030–039).
import type { ConnectorKit, ConnectorKits } from '../../core/kit/index.ts';
import { matrixMigrations } from './migrations.ts';
import { matrixParts, type MatrixPart } from './parts.ts';

export const MATRIX_TABLES = ['matrix_'] as const;

export type MatrixKit = ConnectorKit<MatrixPart>;

export function openMatrixKit(kits: ConnectorKits, id = 'matrix'): MatrixKit {
  return kits.open({ id, tables: MATRIX_TABLES, migrations: matrixMigrations, parts: matrixParts });
}
