-- The events' retention deletes old events in chunks, oldest first, and each deleted event cascades to its
-- deliveries. Neither had an index: event_by_workspace leads with the workspace, and unique (endpoint_id, event_id)
-- with the endpoint, so each deleted event scanned the whole delivery table (measured with 200,000 events and
-- deliveries: 2,000 events deleted in 26 s without delivery_by_event, 71 ms with it).
-- Plain builds, in the migration's transaction: an online build would wait forever for the transaction Flyway keeps
-- open on another connection while it migrates. They block writes to the two tables while they run (seconds for
-- millions of rows); the lifecycle events wait in Kafka meanwhile.
create index if not exists delivery_by_event on delivery (event_id);
create index if not exists event_by_age on event (created_at);
