-- Approval (requires_approval): a post waits in pending_approval until POST /approve or /reject; a rejection keeps
-- the reviewer's reason until an edit submits the post again. Nullable, no default: no table rewrite.
alter table post add column rejection_reason text;
