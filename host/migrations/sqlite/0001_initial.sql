-- Warden's store, SQLite dialect. Keep in step with ../postgres/0001_initial.sql.
-- Times are microseconds since the Unix epoch (UTC); JSON documents are TEXT.

-- The audit trail: one row per exchange, hash-chained by `seq` (see docs/audit.md).
CREATE TABLE audit_events (
    seq                  INTEGER PRIMARY KEY,
    id                   TEXT    NOT NULL UNIQUE,
    ts_us                INTEGER NOT NULL,
    session_id           TEXT    NOT NULL,
    request_id           TEXT    NOT NULL,
    agent                TEXT    NOT NULL,
    server               TEXT    NOT NULL,
    tool                 TEXT    NOT NULL,
    method               TEXT    NOT NULL,
    phase                TEXT    NOT NULL,
    parameters           TEXT    NOT NULL,
    parameters_truncated BOOLEAN NOT NULL,
    response_summary     TEXT    NOT NULL,
    action               TEXT    NOT NULL,
    policy               TEXT    NOT NULL,
    rule                 TEXT    NOT NULL,
    reason               TEXT    NOT NULL,
    policy_version       TEXT    NOT NULL,
    latency_us           INTEGER NOT NULL,
    upstream_latency_us  INTEGER,
    prev_hash            TEXT    NOT NULL,
    hash                 TEXT    NOT NULL
);
CREATE INDEX audit_events_ts ON audit_events (ts_us);
CREATE INDEX audit_events_agent ON audit_events (agent, seq);
CREATE INDEX audit_events_server_tool ON audit_events (server, tool, seq);
CREATE INDEX audit_events_action ON audit_events (action, seq);

-- Findings of an event, in the order the detectors reported them (part of the event's hash).
CREATE TABLE audit_findings (
    event_seq INTEGER NOT NULL REFERENCES audit_events (seq) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    category  TEXT    NOT NULL,
    rule      TEXT    NOT NULL,
    severity  TEXT    NOT NULL,
    detector  TEXT    NOT NULL,
    PRIMARY KEY (event_seq, idx)
);
CREATE INDEX audit_findings_category ON audit_findings (category, event_seq);

-- The end of the chain: the last event's seq and hash. One row; writers lock it.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Chain heads worth remembering: `signed` every N events (Ed25519), and the
-- `retention` anchor the first retained event chains from.
CREATE TABLE audit_checkpoints (
    seq       INTEGER NOT NULL,
    kind      TEXT    NOT NULL CHECK (kind IN ('signed', 'retention')),
    hash      TEXT    NOT NULL,
    ts_us     INTEGER NOT NULL,
    key_id    TEXT,
    signature TEXT,
    PRIMARY KEY (seq, kind)
);

-- Registered upstream MCP servers.
CREATE TABLE mcp_servers (
    id          TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    transport   TEXT    NOT NULL CHECK (transport IN ('STREAMABLE_HTTP', 'SSE', 'STDIO')),
    url         TEXT,
    command     TEXT,
    env         TEXT    NOT NULL DEFAULT '{}',
    description TEXT    NOT NULL DEFAULT '',
    tags        TEXT    NOT NULL DEFAULT '[]',
    created_us  INTEGER NOT NULL,
    updated_us  INTEGER NOT NULL
);

-- SHA-256 of each tool's definition at registration or explicit re-pin (the rug-pull baseline).
CREATE TABLE tool_pins (
    server_id  TEXT    NOT NULL REFERENCES mcp_servers (id) ON DELETE CASCADE,
    tool       TEXT    NOT NULL,
    sha256     TEXT    NOT NULL,
    definition TEXT    NOT NULL,
    pinned_us  INTEGER NOT NULL,
    PRIMARY KEY (server_id, tool)
);

-- Agents: identity, permissions and rate limits.
CREATE TABLE agents (
    id                  TEXT    PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE,
    type                TEXT    NOT NULL DEFAULT '',
    description         TEXT    NOT NULL DEFAULT '',
    permissions         TEXT    NOT NULL DEFAULT '[]',
    labels              TEXT    NOT NULL DEFAULT '[]',
    requests_per_minute INTEGER,
    requests_per_hour   INTEGER,
    api_key_sha256      TEXT    UNIQUE,
    created_us          INTEGER NOT NULL,
    updated_us          INTEGER NOT NULL
);

-- Policies; every change is a new row in policy_versions.
CREATE TABLE policies (
    id              TEXT    PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    description     TEXT    NOT NULL DEFAULT '',
    enabled         BOOLEAN NOT NULL DEFAULT TRUE,
    mode            TEXT    NOT NULL DEFAULT 'enforce' CHECK (mode IN ('enforce', 'log-only')),
    current_version INTEGER NOT NULL,
    created_us      INTEGER NOT NULL,
    updated_us      INTEGER NOT NULL
);
CREATE TABLE policy_versions (
    policy_id  TEXT    NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    document   TEXT    NOT NULL,
    author     TEXT    NOT NULL DEFAULT '',
    created_us INTEGER NOT NULL,
    PRIMARY KEY (policy_id, version)
);

-- Calls parked by REQUIRE_APPROVAL until an approver decides or they expire.
CREATE TABLE approvals (
    id             TEXT    PRIMARY KEY,
    status         TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'expired')),
    session_id     TEXT    NOT NULL,
    request_id     TEXT    NOT NULL,
    agent          TEXT    NOT NULL,
    server         TEXT    NOT NULL,
    tool           TEXT    NOT NULL,
    method         TEXT    NOT NULL,
    parameters     TEXT    NOT NULL,
    policy         TEXT    NOT NULL,
    rule           TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    requested_us   INTEGER NOT NULL,
    expires_us     INTEGER NOT NULL,
    decided_us     INTEGER,
    decided_by     TEXT,
    note           TEXT,
    audit_event_id TEXT
);
CREATE INDEX approvals_status ON approvals (status, requested_us);
