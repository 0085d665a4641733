-- A job's event log, for the job detail page and `GET /api/v1/jobs/{id}/events`: the job's
-- creation, a person's cancel request (both written by the store with the actor's name), the
-- job starting and settling, and what goes off the plain path on a host row: a retry and its
-- error, a row given back to wait for a window and why, a failure, a cancellation. The plain
-- path of a row (sent, accepted, succeeded) is not logged: its times are on the row itself,
-- and an event per step would cost the queue a large share of its throughput. Host-row
-- events are written by triggers, so every writer (this API, any worker) is covered. There
-- are no foreign keys either, for the same reason: retention deletes a job's events with the
-- job, and readers show a row's events only while the row exists. Keep in step with
-- ../sqlite/0005_job_events.sql.

CREATE TABLE job_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id      BIGINT NOT NULL,
    job_host_id BIGINT,
    host_id     BIGINT,
    at          TIMESTAMPTZ NOT NULL,
    state       TEXT NOT NULL,
    attempt     BIGINT NOT NULL DEFAULT 0,
    message     TEXT
);
CREATE INDEX job_events_job ON job_events (job_id, id);

-- A host row's new state, with why it waits (queued) or what went wrong (retry, failure).
CREATE FUNCTION job_host_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_events (job_id, job_host_id, host_id, at, state, attempt, message)
    VALUES (NEW.job_id, NEW.id, NEW.host_id, NEW.updated_at, NEW.state, NEW.attempt,
            CASE WHEN NEW.state = 'queued' THEN NEW.waiting_reason
                 WHEN NEW.state IN ('retry_waiting', 'failed') THEN NEW.error END);
    RETURN NULL;
END
$$;

-- The WHEN clause is evaluated without calling the function, so the plain path costs nothing.
CREATE TRIGGER job_host_changed AFTER UPDATE OF state, waiting_reason, error ON patch_job_hosts
    FOR EACH ROW
    WHEN (NEW.state IN ('queued', 'retry_waiting', 'failed', 'cancelled')
          AND (OLD.state IS DISTINCT FROM NEW.state
               OR OLD.waiting_reason IS DISTINCT FROM NEW.waiting_reason
               OR OLD.error IS DISTINCT FROM NEW.error))
    EXECUTE FUNCTION job_host_event();

-- The job started (its first row was sent) or settled (its last row finished).
CREATE FUNCTION job_state_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_events (job_id, at, state)
    VALUES (NEW.id, COALESCE(NEW.finished_at, NEW.started_at, NEW.created_at), NEW.state);
    RETURN NULL;
END
$$;

CREATE TRIGGER job_state_changed AFTER UPDATE OF state, finished_at ON patch_jobs
    FOR EACH ROW
    WHEN ((OLD.state IS DISTINCT FROM NEW.state AND NEW.state = 'running')
          OR (OLD.finished_at IS NULL AND NEW.finished_at IS NOT NULL))
    EXECUTE FUNCTION job_state_event();
