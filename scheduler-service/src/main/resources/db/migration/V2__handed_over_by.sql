-- Which replica handed a post over (its instance id): for operators, and for the replica tests.
alter table scheduled_post add column handed_over_by text;
