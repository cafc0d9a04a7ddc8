-- posts-api owns this schema. Other services read only what their comments say.

create table workspace (
  id          text primary key,
  name        text not null,
  created_at  timestamptz not null default now()
);

create table api_key (
  id            text primary key,
  workspace_id  text not null references workspace (id),
  key_hash      text not null unique,        -- sha256 of the key; the key itself is shown once
  key_prefix    text not null,
  name          text,
  created_at    timestamptz not null default now(),
  revoked_at    timestamptz
);

-- Read by publisher-service (credentials of the account it publishes for).
create table account (
  id                text primary key,
  workspace_id      text not null references workspace (id),
  platform          text not null,
  external_id       text not null,
  handle            text,
  access_token      text not null,           -- AES-GCM, see SecretCipher
  refresh_token     text,                    -- AES-GCM
  token_expires_at  timestamptz,
  platform_fields   text not null default '{}',
  status            text not null,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
create index account_by_workspace on account (workspace_id, id);

create table post (
  id                text primary key,
  workspace_id      text not null references workspace (id),
  status            text not null,
  version           bigint not null,
  schedule_version  bigint not null,         -- bumped whenever scheduled_at changes or the post leaves "scheduled"
  text              text,
  media_ids         text not null,
  platform_options  text not null,
  scheduled_at      timestamptz,
  time_zone         text,
  published_at      timestamptz,
  external_id       text,
  metadata          text not null,
  created_at        timestamptz not null,
  updated_at        timestamptz not null
);
create index post_by_workspace on post (workspace_id, id);

create table post_target (
  id                  text primary key,
  post_id             text not null references post (id),
  position            int not null,
  account_id          text not null references account (id),
  platform            text not null,
  status              text not null,
  text                text,
  media_ids           text,
  platform_options    text,
  platform_post_id    text,
  permalink           text,
  published_at        timestamptz,
  attempts            int not null default 0,
  current_request_id  text,                  -- the publish request this target waits for; other results are ignored
  error               text,
  updated_at          timestamptz not null
);
create index post_target_by_post on post_target (post_id, position);

create table publish_attempt (
  id             bigserial primary key,
  post_id        text not null,
  target_id      text not null,
  request_id     text not null unique,
  attempt        int not null,
  started_at     timestamptz,
  duration_ms    bigint,
  outcome        text not null,
  http_status    int,
  provider_code  text,
  error          text
);
create index publish_attempt_by_post on publish_attempt (post_id, id);

-- Transactional outbox: written in the same transaction as the change it announces, relayed to Kafka in id order.
create table outbox_message (
  id           bigserial primary key,
  topic        text not null,
  message_key  text not null,
  payload      text not null,
  headers      text,
  created_at   timestamptz not null default now()
);

-- Read by webhook-service (where to deliver, with which secret).
create table webhook_endpoint (
  id            text primary key,
  workspace_id  text not null references workspace (id),
  url           text not null,
  events        text not null,               -- JSON array of event types, or ["*"]
  description   text,
  secret        text not null,               -- AES-GCM of the whsec_ secret
  status        text not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index webhook_endpoint_by_workspace on webhook_endpoint (workspace_id, id);

-- The sandbox platform's own store: every post it ever received, duplicates included.
create table sandbox_post (
  id            text primary key,
  account_id    text not null,
  target_id     text,
  text          text,
  media_ids     text not null,
  received_at   timestamptz not null default clock_timestamp()
);
create index sandbox_post_by_target on sandbox_post (target_id);
create index sandbox_post_by_account on sandbox_post (account_id, id);
