-- Mastodon has no central OAuth server: each instance registers our app once (POST /api/v1/apps) for our callback.
create table mastodon_app (
  instance_url   text not null,
  redirect_uri   text not null,                -- our callback the app was registered with
  client_id      text not null,
  client_secret  text not null,                -- encrypted
  created_at     timestamptz not null default now(),
  primary key (instance_url, redirect_uri)
);
-- A connect in flight remembers the instance it started at.
alter table oauth_state add column instance_url text;
