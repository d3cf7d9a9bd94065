/** Jobs as stored: the durable half of the job registry. */
import type { Statement } from 'better-sqlite3';
import type { ApiError } from '../../contract/errors.js';
import type { ImportResult, JobInfo, JobKind, JobProgress, JobStatus } from '../../contract/dto.js';
import type { Db } from './connection.js';

interface JobRow {
  id: number;
  kind: string;
  title: string;
  status: string;
  progress: string;
  result: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
  owner_pid: number | null;
}

function rowToJob(r: JobRow): JobInfo {
  return {
    id: r.id,
    kind: r.kind as JobKind,
    title: r.title,
    status: r.status as JobStatus,
    progress: JSON.parse(r.progress) as JobProgress,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    result: r.result ? (JSON.parse(r.result) as ImportResult) : null,
    error: r.error ? (JSON.parse(r.error) as ApiError) : null,
  };
}

/** Is process `pid` alive? (EPERM: alive, owned by someone else.) */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class JobsRepo {
  private readonly st: {
    insert: Statement<[number, string, string, string, string, number]>;
    finish: Statement<[string, string, string | null, string | null, string, number]>;
    get: Statement<[number], JobRow>;
    list: Statement<[number], JobRow>;
    running: Statement<[], { id: number; owner_pid: number | null }>;
    interrupt: Statement<[string, string, number]>;
    maxId: Statement<[], { m: number | null }>;
  };

  constructor(db: Db) {
    this.st = {
      insert: db.prepare(
        `INSERT INTO jobs (id, kind, title, status, progress, created_at, owner_pid)
         VALUES (?, ?, ?, 'running', ?, ?, ?)`,
      ),
      finish: db.prepare(
        "UPDATE jobs SET status = ?, progress = ?, result = ?, error = ?, finished_at = ? WHERE id = ?",
      ),
      get: db.prepare('SELECT * FROM jobs WHERE id = ?'),
      list: db.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?'),
      running: db.prepare("SELECT id, owner_pid FROM jobs WHERE status = 'running'"),
      interrupt: db.prepare(
        "UPDATE jobs SET status = 'interrupted', error = ?, finished_at = ? WHERE id = ? AND status = 'running'",
      ),
      maxId: db.prepare('SELECT max(id) AS m FROM jobs'),
    };
  }

  maxId(): number {
    return this.st.maxId.get()?.m ?? 0;
  }

  insert(job: JobInfo, ownerPid = process.pid): void {
    this.st.insert.run(job.id, job.kind, job.title, JSON.stringify(job.progress), job.createdAt, ownerPid);
  }

  finish(job: JobInfo): void {
    this.st.finish.run(
      job.status,
      JSON.stringify(job.progress),
      job.result ? JSON.stringify(job.result) : null,
      job.error ? JSON.stringify(job.error) : null,
      job.finishedAt ?? new Date().toISOString(),
      job.id,
    );
  }

  get(id: number): JobInfo | null {
    const r = this.st.get.get(id);
    return r ? rowToJob(r) : null;
  }

  list(limit = 200): JobInfo[] {
    return this.st.list.all(limit).map(rowToJob);
  }

  /**
   * Mark jobs left 'running' by a process that is gone as 'interrupted'. A job owned by a live
   * process other than this one (another Flowsight on the same workspace) is left alone, as are
   * the ids in `liveHere` (jobs this process is running). Returns the ids marked.
   */
  markInterrupted(liveHere: ReadonlySet<number> = new Set(), alive: (pid: number) => boolean = pidAlive): number[] {
    const marked: number[] = [];
    const now = new Date().toISOString();
    const error = JSON.stringify({
      code: 'INTERNAL',
      message: 'Flowsight stopped while this job was running (the app quit or crashed); nothing of it was kept. Run it again.',
    });
    for (const r of this.st.running.all()) {
      if (liveHere.has(r.id)) continue;
      const pid = r.owner_pid;
      if (pid !== null && pid !== process.pid && alive(pid)) continue;
      if (this.st.interrupt.run(error, now, r.id).changes > 0) marked.push(r.id);
    }
    return marked;
  }
}
