-- Provider quotas are counted from the ledger: publishes of an account within a window.
create index publish_ledger_by_account on publish_ledger (account_id, started_at);
