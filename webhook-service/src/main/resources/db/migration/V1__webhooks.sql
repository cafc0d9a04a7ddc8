-- webhook-service owns this schema: one delivery per (endpoint, event), and every attempt at it.
create table delivery (
  id               text primary key,
  endpoint_id      text not null,
  event_id         text not null,          -- the webhook-id header: the same on every retry
  event_type       text not null,
  payload          text not null,          -- the exact body that is signed and sent
  status           text not null,          -- pending | succeeded | failed
  attempts         int not null default 0,
  next_attempt_at  timestamptz not null default clock_timestamp(),
  created_at       timestamptz not null default clock_timestamp(),
  unique (endpoint_id, event_id)
);
create index delivery_due on delivery (next_attempt_at) where status = 'pending';

create table delivery_attempt (
  id             bigserial primary key,
  delivery_id    text not null references delivery (id),
  attempt        int not null,
  attempted_at   timestamptz not null,
  status_code    int,
  duration_ms    bigint not null,
  response_body  text,                      -- the first 1 KB
  success        boolean not null,
  error          text
);
create index delivery_attempt_by_delivery on delivery_attempt (delivery_id, attempt);
