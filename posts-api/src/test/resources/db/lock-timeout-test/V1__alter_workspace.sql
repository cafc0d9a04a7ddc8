-- MigrationLockTimeoutTest: a schema change that needs the workspace table to itself (ACCESS EXCLUSIVE).
alter table posts.workspace add column lock_timeout_test int;
