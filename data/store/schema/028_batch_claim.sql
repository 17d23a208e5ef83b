-- One household, one claim: a household is planned into at most one open batch at a time.
-- Every write that puts households into a batch (saving a plan, adding one by hand) first checks,
-- inside its transaction, that none is listed (not removed, not done) in another batch of the
-- same month or later, then writes each household's row here. DuckDB has no partial unique
-- index and no triggers, so this key is what makes two sessions that both checked before either
-- committed collide: the second one's insert or update of the same (programme, household) is
-- refused at its statement or at its commit, and nothing of its batch is stored.
-- The row names the latest batch that claimed the household; removing it from a draft or
-- installing it leaves the row (the check reads batch_item, the row only serialises writers).
CREATE TABLE batch_claim (
    programme_id VARCHAR NOT NULL,
    household_id VARCHAR NOT NULL,
    batch_id     VARCHAR NOT NULL,
    month        VARCHAR NOT NULL,    -- 'YYYY-MM' of that batch
    PRIMARY KEY (programme_id, household_id)
);

INSERT INTO batch_claim (programme_id, household_id, batch_id, month)
SELECT b.programme_id, bi.household_id, arg_max(b.batch_id, b.month || b.batch_id), max(b.month)
FROM batch_item bi JOIN batch b USING (batch_id)
GROUP BY b.programme_id, bi.household_id;
