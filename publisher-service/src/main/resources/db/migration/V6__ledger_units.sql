-- How many posts a publish makes on the platform, as its publishing quota counts them: 1, plus a thread's replies where
-- they count against the same quota (X, Bluesky, Mastodon; Threads counts replies apart). ProviderQuotas sums it.
-- A constant default: PostgreSQL adds the column without rewriting the table.
alter table publisher.publish_ledger add column if not exists units integer not null default 1;
