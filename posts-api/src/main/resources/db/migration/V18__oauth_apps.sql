-- A workspace's own OAuth app per platform ("bring your own app"): its client id and secret (X's also its OAuth 1.0a
-- consumer key and secret), secrets encrypted. The active one connects the workspace's new accounts; an account keeps
-- the app it was connected through (a platform binds tokens to the client that got them), so an app replaced by
-- another stays, inactive, for the accounts that still refresh with it. Without an app a workspace uses the
-- deployment's (postflow.oauth.<platform>.client-id).
create table oauth_app (
  id               text primary key,
  workspace_id     text not null references workspace (id),
  platform         text not null,
  client_id        text not null,
  client_secret    text,
  consumer_key     text,
  consumer_secret  text,
  active           boolean not null,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (workspace_id, platform, client_id)
);
create unique index oauth_app_active on oauth_app (workspace_id, platform) where active;
-- Nullable columns without default: no table rewrite. null = the deployment's app.
alter table account add column oauth_app_id text;
alter table oauth_state add column oauth_app_id text;
