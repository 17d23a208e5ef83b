"""People: roles and rights (access), accounts and passwords, sessions, masking of personal data."""
