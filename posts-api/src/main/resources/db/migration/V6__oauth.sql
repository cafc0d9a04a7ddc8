-- OAuth 2.0 connections in flight: the state we sent with the user to the platform, single use, short lived.
create table oauth_state (
  state          text primary key,
  workspace_id   text not null references workspace (id),
  platform       text not null,
  redirect_uri   text not null,               -- where the user's browser goes back to (the caller's app)
  code_verifier  text,                        -- PKCE, encrypted
  expires_at     timestamptz not null,
  used_at        timestamptz
);

-- The sandbox platform's OAuth server: authorization codes (single use, PKCE) and rotating refresh tokens.
create table sandbox_oauth_code (
  code            text primary key,
  client_id       text not null,
  redirect_uri    text not null,
  code_challenge  text,
  user_id         text not null,
  expires_at      timestamptz not null,
  used            boolean not null default false
);
create table sandbox_oauth_refresh (
  token    text primary key,
  user_id  text not null,
  used     boolean not null default false
);
