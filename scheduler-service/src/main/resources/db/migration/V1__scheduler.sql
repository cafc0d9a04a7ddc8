-- scheduler-service owns this schema: the posts waiting for their time.
create table scheduled_post (
  post_id           text primary key,
  schedule_version  bigint not null,       -- a newer version from posts-api replaces an older one
  due_at            timestamptz,           -- null: no longer due (cancelled, unscheduled, published now)
  handed_over_at    timestamptz,           -- set in the same transaction as the hand-over to Kafka
  updated_at        timestamptz not null default now()
);
create index scheduled_post_waiting on scheduled_post (due_at) where handed_over_at is null and due_at is not null;
