-- A job's event log, for the job detail page and `GET /api/v1/jobs/{id}/events`: the job's
-- creation, a person's cancel request (both written by the store with the actor's name), the
-- job starting and settling, and what goes off the plain path on a host row: a retry and its
-- error, a row given back to wait for a window and why, a failure, a cancellation. The plain
-- path of a row (sent, accepted, succeeded) is not logged: its times are on the row itself,
-- and an event per step would cost the queue a large share of its throughput. Host-row
-- events are written by triggers, so every writer (this API, any worker) is covered. There
-- are no foreign keys either, for the same reason: retention deletes a job's events with the
-- job, and readers show a row's events only while the row exists. Keep in step with
-- ../postgres/0005_job_events.sql.

CREATE TABLE job_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id      INTEGER NOT NULL,
    job_host_id INTEGER,
    host_id     INTEGER,
    at          TEXT NOT NULL,
    state       TEXT NOT NULL,
    attempt     INTEGER NOT NULL DEFAULT 0,
    message     TEXT
);
CREATE INDEX job_events_job ON job_events (job_id, id);

-- A host row's new state, with why it waits (queued) or what went wrong (retry, failure).
CREATE TRIGGER job_host_changed AFTER UPDATE OF state, waiting_reason, error ON patch_job_hosts
    WHEN NEW.state IN ('queued', 'retry_waiting', 'failed', 'cancelled')
     AND (OLD.state IS NOT NEW.state
          OR OLD.waiting_reason IS NOT NEW.waiting_reason
          OR OLD.error IS NOT NEW.error)
BEGIN
    INSERT INTO job_events (job_id, job_host_id, host_id, at, state, attempt, message)
    VALUES (NEW.job_id, NEW.id, NEW.host_id, NEW.updated_at, NEW.state, NEW.attempt,
            CASE WHEN NEW.state = 'queued' THEN NEW.waiting_reason
                 WHEN NEW.state IN ('retry_waiting', 'failed') THEN NEW.error END);
END;

-- The job started (its first row was sent) or settled (its last row finished).
CREATE TRIGGER job_state_changed AFTER UPDATE OF state, finished_at ON patch_jobs
    WHEN (OLD.state IS NOT NEW.state AND NEW.state = 'running')
      OR (OLD.finished_at IS NULL AND NEW.finished_at IS NOT NULL)
BEGIN
    INSERT INTO job_events (job_id, at, state)
    VALUES (NEW.id, COALESCE(NEW.finished_at, NEW.started_at, NEW.created_at), NEW.state);
END;
