-- Posting queues: weekly slots in a time zone ("weekdays at 09:00 and 13:30, Europe/Berlin"); a post created with
-- queue_id takes the first future slot with room (capacity posts per slot). The queue's row is locked while a slot
-- is chosen, so concurrent creates never overbook a slot; a cancelled post frees its slot.
create table queue (
  id            text primary key,
  workspace_id  text not null references workspace (id),
  name          text not null,
  time_zone     text not null,
  slots         text not null,          -- JSON: [{"days": ["mon", …], "times": ["09:00", …]}]
  capacity      int not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index queue_by_workspace on queue (workspace_id, id);
-- A queued post keeps its queue until it is moved by hand (PATCH scheduled_at) or the queue is deleted. Set at
-- creation and rarely changed after: the post's updates stay HOT.
alter table post add column queue_id text;
create index post_by_queue on post (queue_id, scheduled_at) where queue_id is not null;
