-- What a platform gave us (or we chose) for a target before the irreversible call: a Bluesky record key, a Mastodon
-- Idempotency-Key, an Instagram/Threads container, a TikTok publish_id, a YouTube upload session. Written before the
-- call that publishes, so a retry or a reconcile after a crash uses the same handle and cannot publish twice.
create table target_handle (
  target_id   text not null,
  name        text not null,
  value       text not null,
  created_at  timestamptz not null default clock_timestamp(),
  primary key (target_id, name)
);

-- Platform sessions cached per account (Bluesky: never a login per post). Tokens encrypted like posts.account's.
create table account_session (
  account_id       text primary key,
  access_token     text not null,
  refresh_token    text,
  expires_at       timestamptz,
  updated_at       timestamptz not null default clock_timestamp()
);
