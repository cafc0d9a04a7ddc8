-- webhook-service owns this schema.
-- Every lifecycle event of a workspace, kept for replays (also the ones an endpoint missed while it was disabled).
create table event (
  id            text primary key,             -- the webhook-id header
  workspace_id  text not null,
  type          text not null,
  payload       text not null,                -- the exact body that is signed and sent
  created_at    timestamptz not null default clock_timestamp()
);
create index event_by_workspace on event (workspace_id, created_at);

-- One delivery per (endpoint, event).
create table delivery (
  id               text primary key,
  endpoint_id      text not null,
  event_id         text not null references event (id) on delete cascade,
  status           text not null,            -- pending | succeeded | failed
  retries          boolean not null default true,  -- false for webhook.test and manual replays: one attempt
  attempts         int not null default 0,
  next_attempt_at  timestamptz not null default clock_timestamp(),
  created_at       timestamptz not null default clock_timestamp(),
  unique (endpoint_id, event_id)
);
create index delivery_due on delivery (next_attempt_at) where status = 'pending';

-- Every attempt, for GET /v1/webhooks/{id}/deliveries (newest first).
create table delivery_attempt (
  id             bigserial primary key,
  delivery_id    text not null references delivery (id) on delete cascade,
  endpoint_id    text not null,
  attempt        int not null,
  attempted_at   timestamptz not null,
  status_code    int,
  duration_ms    bigint not null,
  response_body  text,                      -- the first 1 KB
  success        boolean not null,
  error          text
);
create index delivery_attempt_by_endpoint on delivery_attempt (endpoint_id, id);
create index delivery_attempt_by_delivery on delivery_attempt (delivery_id);

-- Since when an endpoint has failed without a success in between: failing for days disables it.
create table endpoint_health (
  endpoint_id      text primary key,
  failing_since    timestamptz,
  last_success_at  timestamptz
);
