/**
 * 003: live monitoring and alert triage.
 *
 * - monitors: one row per live source scored by a model (tail of a file, a watched folder, a
 *   replay). `source` / `threshold` JSON are the MonitorSource / ThresholdSpec of the contract;
 *   `cursor` JSON is where the source resumes (file identity, byte offset, files done), written in
 *   the same transaction as the alerts it produced, so a crash never loses or repeats alerts;
 *   `stats` JSON holds the running counters (flows, flagged flows, score histogram ...).
 * - alerts: one row per (monitor, source IP, class) inside an aggregation window: `count` flows,
 *   first/last seen (flow time, ms since the epoch), the highest score, the representative flow's
 *   identifiers. Triage columns: status, close reason, verdict; `suppressed_by` is the suppression
 *   rule that hid it, if any.
 * - alert_features: the representative flow's input values (`features` JSON: model input column ->
 *   value), one row per alert, kept apart so that scans of alerts (counts, charts) stay small.
 * - alert_notes: analyst notes, oldest first.
 * - suppression_rules: hide alerts matching every given field (null = any), until `expires_at`.
 * Deleting a monitor keeps its alerts (monitor_id becomes NULL); deleting a model keeps them too.
 */
import type { Migration } from './types.js';

export const migration003: Migration = {
  version: 3,
  name: 'live',
  up(db) {
    db.exec(`
      CREATE TABLE monitors (
        id                 INTEGER PRIMARY KEY AUTOINCREMENT,
        name               TEXT    NOT NULL,
        model_id           INTEGER REFERENCES models(id) ON DELETE SET NULL,
        model_name         TEXT    NOT NULL,
        source             TEXT    NOT NULL CHECK (json_valid(source)),
        source_key         TEXT    NOT NULL,
        threshold          TEXT    NOT NULL CHECK (json_valid(threshold)),
        aggregate_seconds  REAL    NOT NULL DEFAULT 60,
        state              TEXT    NOT NULL CHECK (state IN ('running', 'paused', 'stopped', 'finished', 'failed', 'interrupted')),
        error              TEXT,
        cursor             TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(cursor)),
        stats              TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(stats)),
        owner_pid          INTEGER,
        created_at         TEXT    NOT NULL,
        updated_at         TEXT    NOT NULL
      );
      CREATE INDEX monitors_by_source ON monitors(source_key, model_id);

      CREATE TABLE alerts (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        monitor_id     INTEGER REFERENCES monitors(id) ON DELETE SET NULL,
        model_id       INTEGER REFERENCES models(id) ON DELETE SET NULL,
        model_name     TEXT    NOT NULL,
        class_name     TEXT    NOT NULL,
        severity       TEXT    NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
        score          REAL    NOT NULL,
        count          INTEGER NOT NULL CHECK (count >= 1),
        first_seen     INTEGER NOT NULL,
        last_seen      INTEGER NOT NULL,
        created_at     INTEGER NOT NULL,
        updated_at     INTEGER NOT NULL,
        src_ip         TEXT,
        dst_ip         TEXT,
        src_port       INTEGER,
        dst_port       INTEGER,
        protocol       TEXT,
        status         TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'closed')),
        close_reason   TEXT,
        verdict        TEXT    CHECK (verdict IS NULL OR verdict IN ('true-positive', 'false-positive')),
        suppressed_by  INTEGER
      );
      CREATE INDEX alerts_by_time ON alerts(last_seen);
      CREATE INDEX alerts_by_monitor ON alerts(monitor_id, src_ip, class_name, last_seen);
      CREATE INDEX alerts_by_src ON alerts(src_ip, last_seen);
      CREATE INDEX alerts_by_status ON alerts(status, severity);
      -- the first pages of alerts.list in its other orders (score, severity: critical first, count)
      CREATE INDEX alerts_by_score ON alerts(score, last_seen);
      CREATE INDEX alerts_by_severity ON alerts((CASE severity WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END), last_seen);
      CREATE INDEX alerts_by_count ON alerts(count, last_seen);

      CREATE TABLE alert_features (
        alert_id   INTEGER PRIMARY KEY REFERENCES alerts(id) ON DELETE CASCADE,
        features   TEXT    NOT NULL CHECK (json_valid(features))
      );

      CREATE TABLE alert_notes (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id    INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        text        TEXT    NOT NULL,
        created_at  TEXT    NOT NULL
      );
      CREATE INDEX alert_notes_by_alert ON alert_notes(alert_id);

      CREATE TABLE suppression_rules (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        src         TEXT,
        dst         TEXT,
        class_name  TEXT,
        port        INTEGER,
        reason      TEXT    NOT NULL DEFAULT '',
        created_at  TEXT    NOT NULL,
        expires_at  TEXT,
        CHECK (src IS NOT NULL OR dst IS NOT NULL OR class_name IS NOT NULL OR port IS NOT NULL)
      );
    `);
  },
};
