-- Likeness consent registry, schema 4: persistent jobs of the HTTP service (audits, traces, collection scans,
-- releases). Same dialect rules as V1. A job's files (uploads, findings, reports) lie in its folder under
-- $LIKENESS_HOME/jobs/<id>; this row is its state, so a restarted server resumes or fails it, never loses it.
CREATE TABLE job (
    id          VARCHAR(64)   NOT NULL PRIMARY KEY,
    kind        VARCHAR(32)   NOT NULL,
    state       VARCHAR(16)   NOT NULL,
    org         VARCHAR(256),
    account_id  VARCHAR(256),
    request     VARCHAR(65536) NOT NULL,
    folder      VARCHAR(4096) NOT NULL,
    done_count  BIGINT        NOT NULL,
    total_count BIGINT        NOT NULL,
    stage       VARCHAR(64),
    problems    BIGINT        NOT NULL,
    result      VARCHAR(65536),
    error       VARCHAR(4096),
    attempts    INTEGER       NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE,
    finished_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX job_state ON job (state);
CREATE INDEX job_org_created ON job (org, created_at);
