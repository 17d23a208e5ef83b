"""Storage: the connection (spatial loaded offline), migrations and schema/, the derived
definitions, the one write path (unit_of_work), the audit chain, the clock (Asia/Shanghai), bulk
inserts and knowledge time."""
