-- Secret rotation keeps the old secret signing beside the new one until previous_secret_expires_at.
-- status: enabled | disabled. webhook-service may set disabled (410 Gone, or failing for days) with a reason;
-- enabled_at restarts its "failing for days" clock when an endpoint is enabled again.
alter table webhook_endpoint
  add column previous_secret text,
  add column previous_secret_expires_at timestamptz,
  add column disabled_reason text,
  add column enabled_at timestamptz not null default now();
