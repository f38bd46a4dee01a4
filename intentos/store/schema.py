"""The run log's schema, as append-only migrations recorded in ``_migrations``.

Never edit or reorder a released migration: add ``m002_...`` at the end, and a test that
migrates a database holding only the earlier ones.

``runs`` holds one row per resolved intent; ``attempts`` one row per model answer (a run's
failed attempts were rolled back, the last one is the run's outcome); ``calls`` the OS API
calls each attempt made; ``diffs`` the device diff of each attempt that changed something.
``runs.machine`` is the machine a run ran on (:class:`intentos.machine.Machine` as JSON; ''
for runs logged before intentos recorded it). JSON columns hold JSON text. Times are
milliseconds; ``started_at`` is ISO 8601 in UTC.
An attempt's ``exec_ms`` is its check + sandbox + device time (what ``runs.exec_ms`` sums),
``check_ms`` and ``sandbox_ms`` are the parts the executor measured.
"""

from __future__ import annotations

from intentos.migrations import Migration

M001_INITIAL = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    intent TEXT NOT NULL,
    model TEXT NOT NULL,
    mode TEXT NOT NULL,
    profile TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    prompt_hash TEXT NOT NULL,
    device TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    error_kind TEXT,
    error_message TEXT,
    ttft_ms REAL,
    response_ms REAL NOT NULL,
    exec_ms REAL NOT NULL,
    total_ms REAL NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    committed INTEGER NOT NULL,
    dry_run INTEGER NOT NULL
);
CREATE INDEX runs_started_at ON runs (started_at);
CREATE INDEX runs_model ON runs (model);
CREATE TABLE attempts (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    reply TEXT NOT NULL,
    code TEXT NOT NULL,
    status TEXT NOT NULL,
    error_kind TEXT,
    error_message TEXT,
    error_line INTEGER,
    ttft_ms REAL,
    response_ms REAL NOT NULL,
    check_ms REAL NOT NULL,
    sandbox_ms REAL NOT NULL,
    exec_ms REAL NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    profile TEXT NOT NULL,
    committed INTEGER NOT NULL,
    dry_run INTEGER NOT NULL,
    notes TEXT NOT NULL,
    screen TEXT NOT NULL,
    isolation TEXT,
    PRIMARY KEY (run_id, idx)
);
CREATE TABLE calls (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    name TEXT NOT NULL,
    args TEXT NOT NULL,
    kwargs TEXT NOT NULL,
    result TEXT NOT NULL,
    error TEXT,
    effect TEXT,
    approved INTEGER,
    duration_ms REAL NOT NULL,
    PRIMARY KEY (run_id, attempt, idx),
    FOREIGN KEY (run_id, attempt) REFERENCES attempts (run_id, idx) ON DELETE CASCADE
);
CREATE TABLE diffs (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    diff TEXT NOT NULL,
    PRIMARY KEY (run_id, attempt),
    FOREIGN KEY (run_id, attempt) REFERENCES attempts (run_id, idx) ON DELETE CASCADE
);
"""

# One row per benchmark cell (suite x case x model x mode x repeat), written in the same
# transaction as the run it graded; the UNIQUE key makes a resumed benchmark skip done cells.
M002_BENCH = """
CREATE TABLE bench_results (
    id INTEGER PRIMARY KEY,
    suite TEXT NOT NULL,
    suite_version INTEGER NOT NULL,
    case_id TEXT NOT NULL,
    model TEXT NOT NULL,
    mode TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    resolved INTEGER NOT NULL,
    safe INTEGER NOT NULL,
    error_kind TEXT,
    failed_checks TEXT NOT NULL,
    collateral TEXT NOT NULL,
    ttft_ms REAL,
    response_ms REAL NOT NULL,
    exec_ms REAL NOT NULL,
    total_ms REAL NOT NULL,
    attempts INTEGER NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (suite, case_id, model, mode, repeat)
);
CREATE INDEX bench_results_run ON bench_results (run_id);
CREATE INDEX bench_results_model ON bench_results (suite, model, mode);
"""

# What became of each irreversible call (queued, delivered, discarded, executed), the queued
# outbound effects in full, and the time an attempt waited on the person or the nested model
# (``wait_ms``, inside ``sandbox_ms``) and on the person reading the preview (``approval_ms``).
M003_OUTBOX = """
ALTER TABLE calls ADD COLUMN delivery TEXT;
ALTER TABLE attempts ADD COLUMN outbox TEXT NOT NULL DEFAULT '[]';
ALTER TABLE attempts ADD COLUMN wait_ms REAL NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN approval_ms REAL NOT NULL DEFAULT 0;
"""

M004_UNKNOWN_TOKENS = """
-- rebuilds tables
-- Token counts a backend did not report are unknown (NULL), never a made-up 0: the
-- token columns lose NOT NULL. Each table is copied into a new one and renamed back.
CREATE TABLE runs_new (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    intent TEXT NOT NULL,
    model TEXT NOT NULL,
    mode TEXT NOT NULL,
    profile TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    prompt_hash TEXT NOT NULL,
    device TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    error_kind TEXT,
    error_message TEXT,
    ttft_ms REAL,
    response_ms REAL NOT NULL,
    exec_ms REAL NOT NULL,
    total_ms REAL NOT NULL,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    committed INTEGER NOT NULL,
    dry_run INTEGER NOT NULL
);
INSERT INTO runs_new SELECT * FROM runs;
DROP TABLE runs;
ALTER TABLE runs_new RENAME TO runs;
CREATE INDEX runs_started_at ON runs (started_at);
CREATE INDEX runs_model ON runs (model);
CREATE TABLE attempts_new (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    reply TEXT NOT NULL,
    code TEXT NOT NULL,
    status TEXT NOT NULL,
    error_kind TEXT,
    error_message TEXT,
    error_line INTEGER,
    ttft_ms REAL,
    response_ms REAL NOT NULL,
    check_ms REAL NOT NULL,
    sandbox_ms REAL NOT NULL,
    exec_ms REAL NOT NULL,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    profile TEXT NOT NULL,
    committed INTEGER NOT NULL,
    dry_run INTEGER NOT NULL,
    notes TEXT NOT NULL,
    screen TEXT NOT NULL,
    isolation TEXT,
    outbox TEXT NOT NULL DEFAULT '[]',
    wait_ms REAL NOT NULL DEFAULT 0,
    approval_ms REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, idx)
);
INSERT INTO attempts_new SELECT * FROM attempts;
DROP TABLE attempts;
ALTER TABLE attempts_new RENAME TO attempts;
CREATE TABLE bench_results_new (
    id INTEGER PRIMARY KEY,
    suite TEXT NOT NULL,
    suite_version INTEGER NOT NULL,
    case_id TEXT NOT NULL,
    model TEXT NOT NULL,
    mode TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    resolved INTEGER NOT NULL,
    safe INTEGER NOT NULL,
    error_kind TEXT,
    failed_checks TEXT NOT NULL,
    collateral TEXT NOT NULL,
    ttft_ms REAL,
    response_ms REAL NOT NULL,
    exec_ms REAL NOT NULL,
    total_ms REAL NOT NULL,
    attempts INTEGER NOT NULL,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    created_at TEXT NOT NULL,
    UNIQUE (suite, case_id, model, mode, repeat)
);
INSERT INTO bench_results_new SELECT * FROM bench_results;
DROP TABLE bench_results;
ALTER TABLE bench_results_new RENAME TO bench_results;
CREATE INDEX bench_results_run ON bench_results (run_id);
CREATE INDEX bench_results_model ON bench_results (suite, model, mode);
"""

# The prompt a benchmark cell ran with when it was not its suite's own (``intentos bench
# --prompt ID``; '' for the suite's own): a run with another prompt is another cell, so the
# prompt joins the unique key. The rows already there ran with their suite's own prompt.
M005_BENCH_PROMPT = """
-- rebuilds tables
CREATE TABLE bench_results_new (
    id INTEGER PRIMARY KEY,
    suite TEXT NOT NULL,
    suite_version INTEGER NOT NULL,
    case_id TEXT NOT NULL,
    model TEXT NOT NULL,
    mode TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    resolved INTEGER NOT NULL,
    safe INTEGER NOT NULL,
    error_kind TEXT,
    failed_checks TEXT NOT NULL,
    collateral TEXT NOT NULL,
    ttft_ms REAL,
    response_ms REAL NOT NULL,
    exec_ms REAL NOT NULL,
    total_ms REAL NOT NULL,
    attempts INTEGER NOT NULL,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    created_at TEXT NOT NULL,
    prompt TEXT NOT NULL DEFAULT '',
    UNIQUE (suite, case_id, model, mode, prompt, repeat)
);
INSERT INTO bench_results_new SELECT *, '' FROM bench_results;
DROP TABLE bench_results;
ALTER TABLE bench_results_new RENAME TO bench_results;
CREATE INDEX bench_results_run ON bench_results (run_id);
CREATE INDEX bench_results_model ON bench_results (suite, model, mode, prompt);
"""

# The machine each run ran on (:class:`intentos.machine.Machine` as JSON): the same model
# answers differently and at other speeds on another CPU. Runs logged before hold '', unknown.
M006_RUN_MACHINE = """
ALTER TABLE runs ADD COLUMN machine TEXT NOT NULL DEFAULT '';
"""

MIGRATIONS: list[Migration] = [
    ("m001_initial", M001_INITIAL),
    ("m002_bench", M002_BENCH),
    ("m003_outbox", M003_OUTBOX),
    ("m004_unknown_tokens", M004_UNKNOWN_TOKENS),
    ("m005_bench_prompt", M005_BENCH_PROMPT),
    ("m006_run_machine", M006_RUN_MACHINE),
]
