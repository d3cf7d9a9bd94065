/**
 * 002: trained models.
 *
 * - models: one row per trained model. `summary` JSON holds the ModelSummary fields not kept in
 *   columns; `detail` JSON holds the evaluation (metrics, curves, importances, history,
 *   cross-validation); `file` is the encoded model file (ml-core/serialize: manifest with the
 *   feature schema and fitted preprocessing, plus the binary arrays of the trees).
 *   Deleting the training dataset keeps the model (dataset_id becomes NULL; dataset_name stays).
 */
import type { Migration } from './types.js';

export const migration002: Migration = {
  version: 2,
  name: 'models',
  up(db) {
    db.exec(`
      CREATE TABLE models (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        name            TEXT    NOT NULL UNIQUE,
        kind            TEXT    NOT NULL,
        dataset_id      INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
        dataset_name    TEXT    NOT NULL,
        target          TEXT    NOT NULL CHECK (target IN ('binary', 'category', 'label')),
        created_at      TEXT    NOT NULL,
        summary         TEXT    NOT NULL CHECK (json_valid(summary)),
        detail          TEXT    NOT NULL CHECK (json_valid(detail)),
        format_version  INTEGER NOT NULL,
        file            BLOB    NOT NULL
      );
      CREATE INDEX models_by_dataset ON models(dataset_id);
    `);
  },
};
