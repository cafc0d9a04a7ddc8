-- Every request posts-api sends a publisher (publish, unpublish, edit) is watched: the statement that writes requests
-- to the outbox also writes one row here naming their targets and request ids. A request that has had no answer for
-- postflow.requests.resend-after (the target still waits for exactly that request id) is sent again, the same request
-- with the same id (RequestWatch); the publisher's ledger makes the copy harmless. Rows are deleted when they are
-- looked at, so the table holds about resend-after's worth of requests: one row per statement, not per request.
-- The chaos run with two replicas once lost three requests to a Kafka offset committed past them (fixed in the
-- publisher); nothing would ever have sent them again, and their posts stayed publishing. This is the net under that.
create table request_watch (
  id          bigserial primary key,
  sent_at     timestamptz not null default now(),
  target_ids  text[] not null,
  request_ids text[] not null,
  resends     int not null default 0
);
