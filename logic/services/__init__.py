"""Services: one function per user action, grouped by what the user is doing. Pages, the
command line and the demo call these and nothing below them.

Each runs in one unit of work (unit_of_work.py): one transaction, the signed-in user as the
user table has them now and their permission checked once, the catalog and the region's day
the action decides by. A service calls the domain (logic/domain), the read models
(logic/readmodels) and the files (logic/files), never another service.

- units.py       import the unit file (with a preview), seed, refresh recommendations, search
- assessment.py  the wizard: open, take over, save, discard a draft; submit a decision
- verdicts.py    four eyes: approve or return a submitted decision; the queues
- register.py    the register, a unit's history, the follow-up figures, exports
- decision_documents.py  a decision as a PDF document; an administration's as a ZIP
- rollout.py     the roll-out as of a date and as known at a moment; its export and report
- policy.py      what a proposed catalog (the policy as reference data) would change
- users.py       users and roles (unit managers and their units, one by one or from a
                 file), sign-in and sign-out, the language a person chose
- unit_managers.py  what a unit manager (enhetschef) reads and does with their own units
- mail.py        the day's reminders and the outbox sent over SMTP (send-mail); the outbox
- audit.py       verify the record; read the audit log; introduce the chain's key

`Store` is the handle every service takes: the database, its key and clock, opened by
logic/bootstrap.py. Callers hold it and pass it on; only the services open its units of work.
"""

from logic.store.store import Store

__all__ = ["Store"]
