-- Two things the database itself must refuse, whatever the page or the CLI does first.
--
-- A field entry carries the key of the form it was submitted from (one per form render, new
-- after each save): a second tap, a double click or a resubmitted request of the same form
-- stores no second entry. Entries from before have none (NULLs never clash).
ALTER TABLE field_entry ADD COLUMN form_key VARCHAR;
CREATE UNIQUE INDEX field_entry_form_key ON field_entry (form_key);

-- Usernames are unique whatever their case: DEMO_ADMIN beside demo_admin would be two accounts
-- a person cannot tell apart in the audit log or at the login.
CREATE UNIQUE INDEX app_user_username_lower ON app_user ((lower(username)));
