-- name: cost_shares — who pays which share of which item (programme template [[cost_share]]).
-- params: $programme_id
SELECT item, payer, share FROM cost_share WHERE programme_id = $programme_id ORDER BY item, share DESC, payer;
