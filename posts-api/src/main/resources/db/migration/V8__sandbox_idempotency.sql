-- The sandbox platform's Idempotency-Key (like Mastodon's on POST /api/v1/statuses, or Bluesky's client-chosen rkey):
-- a create that carries a key the account used before makes no second post; it is answered with the first one.
-- Creates without a key are kept as they come, duplicates included.
create table sandbox_idempotency (
  account_id       text not null,
  idempotency_key  text not null,
  post_id          text not null,
  primary key (account_id, idempotency_key)
);

-- How many later creates were answered with this post because they carried its Idempotency-Key.
alter table sandbox_post add column repeats int not null default 0;
