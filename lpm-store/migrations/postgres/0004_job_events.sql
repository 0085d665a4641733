-- A job's event log: every state change of the job and of its host rows, for the job detail
-- page and `GET /api/v1/jobs/{id}/events`. Host-row changes are recorded by triggers, so every
-- writer (the API, any worker) is covered without an extra round trip; the job's creation and
-- a person's cancel request are written by the store with the actor's name. Events go with
-- their job (and their host row) when retention deletes it. Keep in step with
-- ../sqlite/0004_job_events.sql.

CREATE TABLE job_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id      BIGINT NOT NULL REFERENCES patch_jobs (id) ON DELETE CASCADE,
    job_host_id BIGINT REFERENCES patch_job_hosts (id) ON DELETE CASCADE,
    host_id     BIGINT,
    at          TIMESTAMPTZ NOT NULL,
    state       TEXT NOT NULL,
    attempt     BIGINT NOT NULL DEFAULT 0,
    message     TEXT
);
CREATE INDEX job_events_job ON job_events (job_id, id);
CREATE INDEX job_events_row ON job_events (job_host_id);

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

CREATE TRIGGER job_host_inserted AFTER INSERT ON patch_job_hosts
    FOR EACH ROW EXECUTE FUNCTION job_host_event();
-- Claims, lease renewals and progress do not set these columns, so they log nothing.
CREATE TRIGGER job_host_changed AFTER UPDATE OF state, waiting_reason, error ON patch_job_hosts
    FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state
          OR OLD.waiting_reason IS DISTINCT FROM NEW.waiting_reason
          OR OLD.error IS DISTINCT FROM NEW.error)
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
