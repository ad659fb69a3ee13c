-- 0017_verdict_in_tier: a vendor's own last verdict counts in its risk tier
-- (issue 17: an assessment's completion moves the tier). vendor_risk() takes
-- the verdict from the row being written, so its signature gains an
-- argument; the old three-argument function is dropped here and the new
-- one is created by sql/functions/20_register.sql right after. Tiers of
-- vendors already monitored follow on their next change or the daily
-- re-derivation (60_scheduler.sql).
drop function if exists vendor_risk(uuid, uuid, text);
