-- The hand-over log is kept for postflow.scheduler.hand-over-retention, then deleted by age. It is appended in time
-- order, so a BRIN index (a few pages) finds the old rows without costing the hand-over an index entry.
create index hand_over_by_time on hand_over using brin (handed_over_at);
