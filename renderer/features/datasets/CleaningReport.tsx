/** Everything the importer cleaned, in plain words. Empty fields are left out. */
import type { ReactNode } from 'react';
import type { CleaningReport as Report } from '../../../electron/contract/index.js';
import { Icon } from '../../components/Icon.js';
import { formatBytes, formatInt, formatPercent, plural, profileLabel } from '../../components/format.js';

function Fact({ label, value, tone, hint }: { label: string; value: ReactNode; tone?: 'warn' | 'ok'; hint?: string }) {
  return (
    <div className={`report-fact${tone ? ` tone-${tone}` : ''}`} title={hint}>
      <dt>{label}</dt>
      <dd className="num">{value}</dd>
    </div>
  );
}

function Group({ title, count, children, open = false, testId }: { title: string; count: number; children: ReactNode; open?: boolean; testId?: string }) {
  return (
    <details className="report-group" open={open} data-testid={testId}>
      <summary>
        <Icon name="chevronRight" size={12} className="disclosure" />
        <span>{title}</span>
        <span className="count-badge num">{formatInt(count)}</span>
      </summary>
      <div className="report-group-body">{children}</div>
    </details>
  );
}

function PerColumn({ counts, unit }: { counts: Record<string, number>; unit: string }) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <table className="table table-compact">
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col" className="num">
            {unit}
          </th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([col, n]) => (
          <tr key={col}>
            <td className="mono">{col}</td>
            <td className="num">{formatInt(n)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Visible whitespace so " Label" vs "Label" is obvious. */
function Shown({ text }: { text: string }) {
  if (text === '') return <span className="dim">(empty)</span>;
  const lead = /^\s+/.exec(text)?.[0] ?? '';
  const trail = text.length > lead.length ? (/\s+$/.exec(text)?.[0] ?? '') : '';
  const core = text.slice(lead.length, text.length - trail.length);
  return (
    <span className="mono">
      {lead && <span className="ws-mark">{'·'.repeat(lead.length)}</span>}
      {core}
      {trail && <span className="ws-mark">{'·'.repeat(trail.length)}</span>}
    </span>
  );
}

export function CleaningReport({ report }: { report: Report }) {
  const r = report;
  const dropped = r.rowsRead - r.rowsKept;
  const nonFiniteCols = Object.keys(r.nonFiniteByColumn ?? {}).length;
  const invalidCols = Object.keys(r.invalidNumberByColumn ?? {}).length;
  const issues =
    r.malformedRows +
    r.repeatedHeaderRows +
    r.nonFiniteCells +
    r.invalidNumberCells +
    r.renamedHeaders.length +
    r.duplicateColumns.length +
    r.droppedColumns.length +
    r.repairedLabels.length +
    r.repairedTextCells;

  return (
    <section className="card report" aria-labelledby="report-title" data-testid="cleaning-report">
      <header className="card-head">
        <h2 id="report-title" className="card-title">
          Cleaning report
        </h2>
        {issues === 0 && r.missingCells === 0 ? (
          <span className="chip chip-ok">
            <Icon name="check" size={12} /> Clean
          </span>
        ) : null}
      </header>

      <dl className="report-facts">
        <Fact label="Rows read" value={formatInt(r.rowsRead)} />
        <Fact
          label="Rows kept"
          value={
            <>
              {formatInt(r.rowsKept)}
              {r.rowsRead > 0 && r.rowsKept < r.rowsRead && <span className="dim small"> ({formatPercent(r.rowsKept / r.rowsRead)})</span>}
            </>
          }
          tone={dropped > 0 ? 'warn' : undefined}
        />
        {r.malformedRows > 0 && <Fact label="Malformed rows skipped" value={formatInt(r.malformedRows)} tone="warn" />}
        {r.repeatedHeaderRows > 0 && <Fact label="Repeated header rows" value={formatInt(r.repeatedHeaderRows)} hint="header lines found inside the data (concatenated files), skipped" />}
        {r.blankLines > 0 && <Fact label="Blank lines" value={formatInt(r.blankLines)} />}
        {r.nonFiniteCells > 0 && <Fact label="Infinity / NaN cells" value={formatInt(r.nonFiniteCells)} tone="warn" hint="stored as missing" />}
        {r.missingCells > 0 && <Fact label="Empty cells" value={formatInt(r.missingCells)} />}
        {r.invalidNumberCells > 0 && <Fact label="Unparsable numbers" value={formatInt(r.invalidNumberCells)} tone="warn" hint="text in numeric columns, stored as missing" />}
        {r.repairedTextCells > 0 && <Fact label="Text re-decoded (cp1252)" value={formatInt(r.repairedTextCells)} hint="cells whose bytes were not valid UTF-8" />}
      </dl>

      {r.notes.length > 0 && (
        <ul className="report-notes" aria-label="Notes">
          {r.notes.map((n, i) => (
            <li key={i}>
              <Icon name="info" size={14} />
              <span>{n}</span>
            </li>
          ))}
        </ul>
      )}

      <div className="report-groups">
        {r.files.length > 0 && (
          <Group title={r.files.length === 1 ? 'Source file' : 'Source files'} count={r.files.length} open={r.files.length <= 3}>
            <table className="table table-compact">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Layout</th>
                  <th scope="col" className="num">
                    Rows
                  </th>
                  <th scope="col" className="num">
                    Size
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.files.map((f, i) => (
                  <tr key={`${f.name}-${i}`}>
                    <td className="mono ellipsis" title={f.name}>
                      {f.name}
                    </td>
                    <td className="nowrap">{profileLabel(f.profile)}</td>
                    <td className="num">{formatInt(f.rows)}</td>
                    <td className="num">{formatBytes(f.bytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Group>
        )}
        {r.malformedRows > 0 && (
          <Group title="Malformed rows" count={r.malformedRows} open testId="report-malformed">
            <p className="group-lead">Records with the wrong number of fields were skipped.{r.malformedSamples.length > 0 ? ' First examples:' : ''}</p>
            {r.malformedSamples.length > 0 && (
              <table className="table table-compact">
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col" className="num">
                      Line
                    </th>
                    <th scope="col" className="num">
                      Fields
                    </th>
                    <th scope="col" className="num">
                      Expected
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {r.malformedSamples.map((m, i) => (
                    <tr key={i}>
                      <td className="mono ellipsis" title={m.file}>
                        {m.file}
                      </td>
                      <td className="num">{formatInt(m.line)}</td>
                      <td className="num">{formatInt(m.fields)}</td>
                      <td className="num">{formatInt(m.expected)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Group>
        )}
        {nonFiniteCols > 0 && (
          <Group title="Infinity / NaN by column" count={nonFiniteCols} testId="report-nonfinite">
            <PerColumn counts={r.nonFiniteByColumn} unit="Cells" />
          </Group>
        )}
        {invalidCols > 0 && (
          <Group title="Unparsable numbers by column" count={invalidCols}>
            <PerColumn counts={r.invalidNumberByColumn} unit="Cells" />
          </Group>
        )}
        {r.renamedHeaders.length > 0 && (
          <Group title="Renamed headers" count={r.renamedHeaders.length} testId="report-renamed">
            <ul className="rename-list">
              {r.renamedHeaders.map((h, i) => (
                <li key={i}>
                  <Shown text={h.from} />
                  <span className="arrow" aria-label="renamed to">
                    →
                  </span>
                  <span className="mono">{h.to}</span>
                </li>
              ))}
            </ul>
          </Group>
        )}
        {r.duplicateColumns.length > 0 && (
          <Group title="Duplicate columns" count={r.duplicateColumns.length} open>
            <ul className="plain-list">
              {r.duplicateColumns.map((d, i) => (
                <li key={i}>
                  <span className="mono">{d.name}</span> <span className="dim">— {d.action}</span>
                </li>
              ))}
            </ul>
          </Group>
        )}
        {r.droppedColumns.length > 0 && (
          <Group title="Dropped columns" count={r.droppedColumns.length} open>
            <ul className="plain-list">
              {r.droppedColumns.map((d, i) => (
                <li key={i}>
                  <span className="mono">{d.name}</span> <span className="dim">— {d.reason}</span>
                </li>
              ))}
            </ul>
          </Group>
        )}
        {r.repairedLabels.length > 0 && (
          <Group title="Repaired labels" count={r.repairedLabels.length} open testId="report-labels">
            <table className="table table-compact">
              <thead>
                <tr>
                  <th scope="col">In the file</th>
                  <th scope="col">Stored as</th>
                  <th scope="col" className="num">
                    Rows
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.repairedLabels.map((l, i) => (
                  <tr key={i}>
                    <td>
                      <Shown text={l.from} />
                    </td>
                    <td className="mono">{l.to}</td>
                    <td className="num">{formatInt(l.rows)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Group>
        )}
      </div>
      {issues === 0 && r.notes.length === 0 && (
        <p className="dim small report-clean">No malformed rows, non-finite values, renamed or duplicated columns were found.</p>
      )}
      <p className="sr-only">{plural(r.rowsKept, 'row')} stored.</p>
    </section>
  );
}
