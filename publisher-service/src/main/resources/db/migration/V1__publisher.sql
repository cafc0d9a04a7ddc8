-- publisher-service owns this schema. Every publish request is written here before the platform is called.
create table publish_ledger (
  request_id        text primary key,      -- <target id>.<attempt>: a redelivered request finds its row
  post_id           text not null,
  target_id         text not null,
  account_id        text not null,
  platform          text not null,
  state             text not null,         -- started | published | failed | unconfirmed
  result            text,                  -- the PublishResult JSON once finished, re-sent on redelivery
  started_at        timestamptz not null default clock_timestamp(),
  finished_at       timestamptz
);
create index publish_ledger_by_target on publish_ledger (target_id);
