/**
 * 001: datasets stored column-major as chunked BLOBs, and jobs.
 *
 * - datasets: one row per imported dataset; `meta` JSON holds files, bytes, the cleaning report,
 *   class counts, target maps, import warnings and options.
 * - dataset_columns: one row per stored column (stats JSON; dictionary JSON for dict columns).
 * - column_chunks: the column's values for rows [row_start, row_start + n_rows), as the raw bytes
 *   of a little-endian typed array (f32 -> Float32Array, f64 -> Float64Array, dict -> Int32Array
 *   of dictionary codes, -1 = missing).
 * - jobs: long-running work (imports), with progress/result/error JSON; owner_pid lets a later
 *   start tell a job whose process died (-> 'interrupted') from one still running elsewhere.
 */
import type { Migration } from './types.js';

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE datasets (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        name        TEXT    NOT NULL UNIQUE,
        format      TEXT    NOT NULL,
        profile     TEXT    NOT NULL,
        rows        INTEGER NOT NULL DEFAULT 0,
        features    INTEGER NOT NULL DEFAULT 0,
        classes     INTEGER NOT NULL DEFAULT 0,
        labelled    INTEGER NOT NULL DEFAULT 0 CHECK (labelled IN (0, 1)),
        files       INTEGER NOT NULL DEFAULT 0,
        bytes       INTEGER NOT NULL DEFAULT 0,
        created_at  TEXT    NOT NULL,
        meta        TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(meta))
      );

      CREATE TABLE dataset_columns (
        dataset_id    INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        idx           INTEGER NOT NULL,
        name          TEXT    NOT NULL,
        source_name   TEXT    NOT NULL DEFAULT '',
        role          TEXT    NOT NULL CHECK (role IN ('numeric', 'categorical', 'identifier', 'label', 'ignored')),
        default_role  TEXT    NOT NULL CHECK (default_role IN ('numeric', 'categorical', 'identifier', 'label', 'ignored')),
        storage       TEXT    NOT NULL CHECK (storage IN ('f32', 'f64', 'dict')),
        stats         TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(stats)),
        dictionary    TEXT    CHECK (dictionary IS NULL OR json_valid(dictionary)),
        PRIMARY KEY (dataset_id, idx),
        UNIQUE (dataset_id, name)
      );

      CREATE TABLE column_chunks (
        dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        column_idx  INTEGER NOT NULL,
        chunk_idx   INTEGER NOT NULL,
        row_start   INTEGER NOT NULL,
        n_rows      INTEGER NOT NULL CHECK (n_rows > 0),
        data        BLOB    NOT NULL,
        PRIMARY KEY (dataset_id, column_idx, chunk_idx)
      );

      CREATE TABLE jobs (
        id           INTEGER PRIMARY KEY,
        kind         TEXT    NOT NULL,
        title        TEXT    NOT NULL,
        status       TEXT    NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
        progress     TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(progress)),
        result       TEXT    CHECK (result IS NULL OR json_valid(result)),
        error        TEXT    CHECK (error IS NULL OR json_valid(error)),
        created_at   TEXT    NOT NULL,
        finished_at  TEXT,
        owner_pid    INTEGER
      );
      CREATE INDEX jobs_by_status ON jobs(status);
    `);
  },
};
