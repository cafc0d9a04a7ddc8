-- The sandbox platform's Idempotency-Key (like Mastodon's on POST /api/v1/statuses, or Bluesky's client-chosen rkey):
-- a create that carries a key the account used before makes no second post; it is answered with the first one.
-- Creates without a key (null) are kept as they come, duplicates included.
alter table sandbox_post add column idempotency_key text;
create unique index sandbox_post_by_idempotency_key on sandbox_post (account_id, idempotency_key) where idempotency_key is not null;

-- How many later creates were answered with this post because they carried its Idempotency-Key.
alter table sandbox_post add column repeats int not null default 0;
