-- Records: the entity as JSON in body, with the fields every record has as
-- columns. Find orders by id (uuid compares as bytes: UUIDv7 creation order).
CREATE TABLE itil_records (
    id             uuid PRIMARY KEY,
    kind           text NOT NULL,
    number         text NOT NULL,
    state          text NOT NULL,
    state_category text NOT NULL,
    version        bigint NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    attrs          text NOT NULL, -- the entity's attributes: a sorted JSON array of [key, value]
    body           jsonb NOT NULL
);
CREATE INDEX itil_records_kind ON itil_records (kind, id);
CREATE INDEX itil_records_state ON itil_records (kind, state, id);
CREATE INDEX itil_records_category ON itil_records (kind, state_category, id);
CREATE INDEX itil_records_number ON itil_records (kind, number);

-- The entity's own indexed attributes (Entity.Attrs), one row per value:
-- itil_records.attrs as rows, for Find.
CREATE TABLE itil_record_attrs (
    record_id uuid NOT NULL,
    kind      text NOT NULL,
    key       text NOT NULL,
    value     text NOT NULL,
    PRIMARY KEY (record_id, key, value)
);
CREATE INDEX itil_record_attrs_find ON itil_record_attrs (kind, key, value, record_id);

-- The log: every record's journal and the outbox, in one sequence.
--
-- Sequence numbers are drawn by itil_next_change_seq, which first takes a
-- transaction-level advisory lock held until commit. Transactions that
-- append to the log therefore commit in seq order, and every snapshot sees
-- a prefix of the log: a consumer that advances a cursor never skips a
-- change that commits late. The lock key is fixed here from the sequence's
-- OID, so that several stores in one database (one per schema) do not share
-- it, and the sequence is named with its schema, so that the default works
-- whatever the caller's search_path.
CREATE SEQUENCE itil_changes_seq;
DO $migration$
BEGIN
    EXECUTE format(
        $f$CREATE FUNCTION %I.itil_next_change_seq() RETURNS bigint
           LANGUAGE plpgsql VOLATILE AS $body$
           BEGIN
               PERFORM pg_advisory_xact_lock(%s);
               RETURN nextval(%L::regclass);
           END
           $body$$f$,
        current_schema(),
        (x'49544c00'::bigint << 32) + ('itil_changes_seq'::regclass)::oid::bigint,
        quote_ident(current_schema()) || '.itil_changes_seq');
END
$migration$;
CREATE TABLE itil_changes (
    seq       bigint PRIMARY KEY DEFAULT itil_next_change_seq(),
    id        uuid NOT NULL,
    record_id uuid NOT NULL,
    kind      text NOT NULL,
    number    text NOT NULL,
    version   bigint NOT NULL,
    event     text NOT NULL,
    at        timestamptz NOT NULL,
    body      jsonb NOT NULL
);
ALTER SEQUENCE itil_changes_seq OWNED BY itil_changes.seq;
CREATE INDEX itil_changes_record ON itil_changes (record_id, seq);

-- Outbox consumers: a cursor into the log and a lease. lease_until is in
-- Unix nanoseconds of the store's clock; an empty holder means released.
CREATE TABLE itil_consumers (
    name        text PRIMARY KEY,
    acked_seq   bigint NOT NULL DEFAULT 0,
    holder      text NOT NULL DEFAULT '',
    lease_until bigint NOT NULL DEFAULT 0
);

-- Number sequences per prefix (INC, CHG, ...).
CREATE TABLE itil_sequences (
    prefix text PRIMARY KEY,
    value  bigint NOT NULL
);
