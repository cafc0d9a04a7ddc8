-- scheduled_post keeps only the posts still waiting (and, with due_at null, the latest version of cancelled ones): a
-- hand-over deletes its row and appends it to hand_over. Before, handed-over rows stayed, and the periodic VACUUM's
-- index cleanup read the whole primary key, so it cost more with every post ever scheduled (0.8-1.1 s of
-- PostgreSQL's CPU every 10,000 hand-overs with 2.9 million rows).
alter table scheduled_post rename to scheduled_post_v2;
alter index scheduled_post_pkey rename to scheduled_post_v2_pkey;
alter index scheduled_post_waiting rename to scheduled_post_v2_waiting;

create table scheduled_post (
  post_id           text primary key,
  schedule_version  bigint not null,       -- a newer version from posts-api replaces an older one
  due_at            timestamptz,           -- null: no longer due (cancelled, unscheduled, published now)
  updated_at        timestamptz not null default now()
);
create index scheduled_post_waiting on scheduled_post (due_at) where due_at is not null;

-- Every hand-over, appended in the claim's transaction (so a rolled-back hand-over leaves no row). Insert-only, so
-- it needs no periodic VACUUM. A schedule request of a version handed over already is ignored (the index).
create table hand_over (
  post_id           text not null,
  schedule_version  bigint not null,
  due_at            timestamptz not null,
  handed_over_at    timestamptz not null,
  handed_over_by    text                   -- the replica's instance id (null for hand-overs before it was recorded)
);

insert into scheduled_post (post_id, schedule_version, due_at, updated_at)
  select post_id, schedule_version, due_at, updated_at from scheduled_post_v2 where handed_over_at is null;
insert into hand_over (post_id, schedule_version, due_at, handed_over_at, handed_over_by)
  select post_id, schedule_version, due_at, handed_over_at, handed_over_by from scheduled_post_v2
  where handed_over_at is not null and due_at is not null;
drop table scheduled_post_v2;
create index hand_over_by_post on hand_over (post_id, schedule_version);
