"""The read side: what pages, exports and reports read that is more than one query, worked
out inside the caller's transaction from the store's rows and the domain's functions
(refresh_all, run alone at start-up and by the roll-out commands, opens its own).

- rollout_history.py     the roll-out as of any date, as known at any moment, from the history
- rollout_projection.py  keeping the roll-out now (a projection in the database) true to it
- rollout_summary.py     the roll-out's figures: now from the projection (cached), else history
- history_figures.py     the figures as of an earlier date or moment, over whole columns
- follow_up.py           the follow-up page's figures, aggregated in SQL (kept)
- overview.py            Översikt's counts and review queue, the unit picker's search (kept)
- register.py            Beslut's page of the register and the administrations (kept)
- kept.py                results kept by the data they depend on, until something is written

A service calls these; they never call a service, and they decide no policy (the domain
does). The queries themselves live in the store (logic/store/readmodel_*.py)."""
