-- Idempotency-Key: the first successful answer per (workspace, key), stored in the same transaction as its effect.
create table idempotency_key (
  workspace_id     text not null,
  key              text not null,
  request_hash     text not null,     -- sha256 of method, path and the request's JSON
  response_status  int not null,
  response_body    text not null,
  created_at       timestamptz not null default now(),
  primary key (workspace_id, key)
);
create index idempotency_key_by_age on idempotency_key (created_at);
