"""After the installation: device health from the alarm platform's events, and
service events (seed 003: hotline, repairs, 抢修, IC cards, LPG delivery, reopening checks,
incidents) with their timeliness against the programme's standards.

Pages and the CLI call `devices` and `service`; SQL stays in queries/.
"""
