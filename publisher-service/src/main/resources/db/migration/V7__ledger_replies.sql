-- A thread's replies where the platform counts them apart from posts (Threads: 250 posts and 1,000 replies a day);
-- ProviderQuotas sums it for postflow.platforms.<name>.reply-quota. A constant default: no table rewrite.
alter table publisher.publish_ledger add column if not exists replies integer not null default 0;
