-- Every request posts-api sends a publisher (publish, unpublish, edit) is watched: the statement that writes requests
-- to the outbox also writes one row here with their request ids (<target id>.<attempt>: each names its target). A request that has had no answer for
-- postflow.requests.resend-after (the target still waits for exactly that request id) is sent again, the same request
-- with the same id (RequestWatch); the publisher's ledger makes the copy harmless. Rows are deleted when they are
-- looked at, so the table holds about resend-after's worth of requests: one row per statement, not per request.
-- The chaos run with two replicas once lost three requests to a Kafka offset committed past them (fixed in the
-- publisher); nothing would ever have sent them again, and their posts stayed publishing. This is the net under that.
create table request_watch (
  id          bigserial primary key,
  sent_at     timestamptz not null default now(),
  request_ids text[] not null,
  resends     int not null default 0
);
-- A round reads the rows past resend-after by this index, so it reads only those. At 500 due/s the table holds about
-- 300,000 rows sent within resend-after; without the index a round that found none due read them all (310,527 rows,
-- 25 ms), with it 0.09 ms.
create index request_watch_by_sent_at on request_watch (sent_at);
