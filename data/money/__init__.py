"""Money for checked work: spot checks, monthly acceptance, settlement by payer, residents'
payments and opt-outs, reconciliation with the gas company, the programme's finance rules."""
