-- Sessions (data/users/sessions.py): sign-in sessions kept by the hash of their token only.

-- name: open — a new session for a signed-in user.
INSERT INTO app_session (token_hash, username, via, created_at, last_seen, expires_at)
VALUES ($token_hash, $username, $via, $now, $now, $expires_at);

-- name: resume — the user behind a live session (not revoked, not expired, account enabled).
SELECT s.username, s.last_seen, u.role, u.street_id, u.display_name, u.must_change_password
FROM app_session s JOIN app_user u USING (username)
WHERE s.token_hash = $token_hash AND s.revoked_at IS NULL AND s.expires_at > $now
  AND NOT u.disabled;

-- name: touch — a session seen again.
UPDATE app_session SET last_seen = $now WHERE token_hash = $token_hash;

-- name: end — sign out one session.
UPDATE app_session SET revoked_at = $now WHERE token_hash = $token_hash AND revoked_at IS NULL;

-- name: end_all — end every open session of a user; one row per session ended.
UPDATE app_session SET revoked_at = $now WHERE username = $username AND revoked_at IS NULL
RETURNING 1;
