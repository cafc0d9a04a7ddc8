-- Rows written through Hibernate carry a client-assigned message id as their entity id, so the inserts of a
-- transaction are sent in JDBC batches (an IDENTITY id forces one round trip per row). The relay still sends in
-- the order of the bigserial "id", assigned by the database at insert time.
alter table outbox_message add column message_id text;
