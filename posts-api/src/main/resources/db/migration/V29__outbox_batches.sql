-- An outbox row may carry the messages of a whole batch: the due hand-overs and publisher results of a Kafka batch,
-- and the new posts of one group insert, write one row whose "batch" holds topic, key, payload and headers of each
-- message in turn (four array elements a message). One row instead of one per message: a burst wrote four rows per
-- publish (the publish request and three lifecycle events), each a heap tuple, an index entry and a WAL record,
-- inserted and then deleted by the relay. Rows written one message at a time (requests through Hibernate) keep the
-- single-message columns. A posts-api before V29 cannot send a batch row: in a rolling upgrade its relay fails on one
-- and rolls back (nothing lost), and a newer replica's relay sends it.
alter table outbox_message alter column topic drop not null;
alter table outbox_message alter column message_key drop not null;
alter table outbox_message alter column payload drop not null;
alter table outbox_message add column batch text[];
alter table outbox_message add column message_count int not null default 1;
alter table outbox_message add constraint outbox_message_one_form check ((batch is null) = (payload is not null));

-- A batch of a few hundred events is a few hundred kilobytes of JSON, stored out of line and compressed: LZ4 takes a
-- third less of the database's time than PostgreSQL's default pglz (measured on 2,000 lifecycle events). Servers
-- built without LZ4 keep pglz.
do $$
begin
  alter table outbox_message alter column batch set compression lz4;
exception when others then
  raise notice 'the outbox keeps pglz: %', sqlerrm;
end $$;
