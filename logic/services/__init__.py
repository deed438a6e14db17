"""Services: one function per user action, grouped by what the user is doing.

Each runs in one unit of work (unit_of_work.py): one transaction, the signed-in user as the
user table has them now, and their permission checked once, whatever the page showed.

- units.py       import the unit file (with a preview), seed, refresh recommendations, search
- assessment.py  the wizard: open, take over, save, discard a draft; submit a decision
- approval.py    four eyes: approve or return a submitted decision; the queues
- register.py    the register, a unit's history, the dashboard, exports
- users.py       users and roles, sign-in and sign-out
- audit.py       verify the record; read the audit log
"""
