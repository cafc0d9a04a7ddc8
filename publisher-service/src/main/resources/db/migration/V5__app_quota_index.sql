-- App quotas (postflow.platforms.<name>.app-quota, e.g. YouTube's uploads per Google Cloud project) are counted from
-- the ledger over all accounts of a platform within a window.
create index publish_ledger_by_platform on publish_ledger (platform, started_at);
