-- Migrations (data/store/migrations.py): what the database records of its own schema.

-- name: has_ledger — whether the database has its migration ledger (an Anju database opened before).
SELECT count(*) FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main'
  AND table_name = 'schema_migration';
