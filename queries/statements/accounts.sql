-- Accounts (data/users/accounts.py): local users, their password hashes, lock-out and contact details.

-- name: street_by_id_or_name — the street a street account belongs to, by code or name.
SELECT region_id FROM region WHERE level = 'street' AND (region_id = $street OR name = $street);

-- name: exists — whether an account exists.
SELECT 1 FROM app_user WHERE username = $username;

-- name: same_name — an account whose username equals this one whatever the case (the unique
-- index on lower(username) refuses a second one).
SELECT username FROM app_user WHERE lower(username) = lower($username) LIMIT 1;

-- name: add — create an account with its one-time password's hash.
INSERT INTO app_user (username, role, street_id, display_name, password_hash)
VALUES ($username, $role, $street_id, $display_name, $password_hash);

-- name: list — every account without its hash, by username.
SELECT username, role, street_id, display_name, disabled, must_change_password,
       failed_attempts, locked_until, created_at, last_login_at
FROM app_user ORDER BY username;

-- name: contact — who an account is on a form: name, 科室, phone.
SELECT coalesce(display_name, username), unit, phone FROM app_user WHERE username = $username;

-- name: set_contact — record an account's 科室 and phone.
UPDATE app_user SET unit = $unit, phone = $phone WHERE username = $username;

-- name: set_disabled — disable or re-enable an account.
UPDATE app_user SET disabled = $disabled WHERE username = $username;

-- name: reset_password — a new one-time password: must be changed, lock-out cleared.
UPDATE app_user SET password_hash = $password_hash, must_change_password = true,
       failed_attempts = 0, locked_until = NULL
WHERE username = $username;

-- name: password_hash — the stored hash of an account's password.
SELECT password_hash FROM app_user WHERE username = $username;

-- name: change_password — the user's own new password.
UPDATE app_user SET password_hash = $password_hash, must_change_password = false
WHERE username = $username;

-- name: sign_in_state — what signing in checks: role, scope, hash, disabled, failures, lock.
SELECT role, street_id, display_name, password_hash, disabled, failed_attempts, locked_until,
       must_change_password
FROM app_user WHERE username = $username;

-- name: record_failure — count a failed sign-in, locking the account when `locked_until` is set.
UPDATE app_user SET failed_attempts = $failed_attempts, locked_until = $locked_until
WHERE username = $username;

-- name: record_login — a successful sign-in clears failures and records the time.
UPDATE app_user SET failed_attempts = 0, locked_until = NULL, last_login_at = $now
WHERE username = $username;

-- name: active_user — an enabled account as the app sees it (role, street, display name).
SELECT role, street_id, display_name FROM app_user WHERE username = $username AND NOT disabled;

-- name: has_admin — whether an enabled administrator exists.
SELECT 1 FROM app_user WHERE role = 'admin' AND NOT disabled;
