"""Work at the door: field entries and their rules, the 独居老人 registry kept alive from visits,
photos."""
