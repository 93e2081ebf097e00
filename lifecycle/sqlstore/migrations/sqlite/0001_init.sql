-- Records: the entity as JSON in body, with the fields every record has as
-- columns. Find orders by id (UUIDv7 bytes, so creation order).
CREATE TABLE itil_records (
    id             BLOB PRIMARY KEY,
    kind           TEXT NOT NULL,
    number         TEXT NOT NULL,
    state          TEXT NOT NULL,
    state_category TEXT NOT NULL,
    version        INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    attrs          TEXT NOT NULL, -- the entity's attributes: a sorted JSON array of [key, value]
    body           TEXT NOT NULL
);
CREATE INDEX itil_records_kind ON itil_records (kind, id);
CREATE INDEX itil_records_state ON itil_records (kind, state, id);
CREATE INDEX itil_records_category ON itil_records (kind, state_category, id);
CREATE INDEX itil_records_number ON itil_records (kind, number);

-- The entity's own indexed attributes (Entity.Attrs), one row per value:
-- itil_records.attrs as rows, for Find.
CREATE TABLE itil_record_attrs (
    record_id BLOB NOT NULL,
    kind      TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (record_id, key, value)
) WITHOUT ROWID;
CREATE INDEX itil_record_attrs_find ON itil_record_attrs (kind, key, value, record_id);

-- The log: every record's journal and the outbox, in one sequence.
-- AUTOINCREMENT: a sequence number is never used twice, even after the
-- newest rows are deleted.
CREATE TABLE itil_changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    id        BLOB NOT NULL,
    record_id BLOB NOT NULL,
    kind      TEXT NOT NULL,
    number    TEXT NOT NULL,
    version   INTEGER NOT NULL,
    event     TEXT NOT NULL,
    at        TEXT NOT NULL,
    body      TEXT NOT NULL
);
CREATE INDEX itil_changes_record ON itil_changes (record_id, seq);

-- Outbox consumers: a cursor into the log and a lease. lease_until is in
-- Unix nanoseconds of the store's clock; an empty holder means released.
CREATE TABLE itil_consumers (
    name        TEXT PRIMARY KEY,
    acked_seq   INTEGER NOT NULL DEFAULT 0,
    holder      TEXT NOT NULL DEFAULT '',
    lease_until INTEGER NOT NULL DEFAULT 0
);

-- Number sequences per prefix (INC, CHG, ...).
CREATE TABLE itil_sequences (
    prefix TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
);
