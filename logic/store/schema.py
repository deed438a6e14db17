"""The database schema (SQLAlchemy Core). Migrations in migrations/ create exactly this."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()


def unit_facts() -> list[Column[object]]:
    """A unit's facts as the unit file gives them, the same in the register and in each
    observation (code lists joined with "|")."""
    return [
        Column("namn", String(200), nullable=False),
        Column("forvaltning", String(200), nullable=False),
        Column("enhetstyp", String(20), nullable=False),
        Column("verksamhet", String(30), nullable=False),
        Column("driftsform", String(20), nullable=False),
        Column("avtalsanalys_klar", Boolean, nullable=True),
        Column("vardutforande", Boolean, nullable=False),
        Column("kontaktkort", Boolean, nullable=False),
        Column("patientkontakt", Boolean, nullable=False),
        Column("bokar_besok", Boolean, nullable=False),
        Column("telefon_papper", String(400), nullable=False),
        Column("e_tjanster", String(400), nullable=False),
    ]


# The unit register: one row per unit, upserted by hsa_id on import. The recommended_*
# columns cache the rules' result (for the catalog_version named) so overviews aggregate in SQL.
units = Table(
    "units",
    metadata,
    Column("hsa_id", String(31), primary_key=True),
    *unit_facts(),
    Column("recommended_outcome", String(30), nullable=False),
    Column("recommended_variant", String(30), nullable=True),
    Column("recommended_missing", String(400), nullable=False),
    Column("catalog_version", String(20), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("sok", String(600), nullable=False, server_default=""),  # name + id, for search
    Column("current_revision", Integer, nullable=True),  # the newest revision, if any
    # The current decision in brief, set with each new revision (a projection for the
    # follow-up page's aggregates: one table, no join). kontakt_since: since when the decisions
    # have found digital contact (kontakt) in place.
    Column("decision_outcome", String(30), nullable=True),
    Column("decision_variant", String(30), nullable=True),
    Column("decision_required", String(400), nullable=True),
    Column("decision_missing", String(400), nullable=True),
    Column("decision_grounds", String(400), nullable=True),
    Column("decision_review_date", Date, nullable=True),
    Column("decision_deviates", Boolean, nullable=True),
    Column("decision_below_minimum", Boolean, nullable=True),  # workflow.below_minimum
    Column("kontakt_since", DateTime(timezone=True), nullable=True),
    # Four-eyes (since 0005): the newest revision's status; and the decision in force, the
    # newest approved revision, with its approver and when it was approved (kept while a
    # newer proposal waits or is returned). Named in_force_* since 0006.
    Column("decision_status", String(20), nullable=True),
    Column("in_force_approver", String(254), nullable=True),
    Column("in_force_at", DateTime(timezone=True), nullable=True),
    Column("in_force_revision", Integer, nullable=True),
    # since 0011: the template column of the unit file, and the date of the observation whose
    # facts the row shows (the newest; an older observation imported later leaves it alone)
    Column("regionala_mallar", String(400), nullable=False, server_default=""),
    Column("observed", Date, nullable=True),
    Index("ix_units_forvaltning", "forvaltning"),
    Index("ix_units_namn", "namn", "hsa_id"),
    Index("ix_units_recommended", "recommended_outcome", "recommended_variant"),
    Index("ix_units_decision_status", "decision_status"),
)

# Append-only (database triggers refuse UPDATE and DELETE): each save is a new revision.
# (hsa_id, revision) is unique, so two saves based on the same revision cannot both land.
assessment_revisions = Table(
    "assessment_revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("hsa_id", String(31), ForeignKey("units.hsa_id"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("based_on_revision", Integer, nullable=True),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("inputs", JSON, nullable=False),
    Column("recommendation", JSON, nullable=False),
    Column("catalog_version", String(20), nullable=False),
    Column("outcome", String(30), nullable=False),
    Column("variant", String(30), nullable=True),
    Column("decision", JSON, nullable=False),
    Column("content_hash", String(64), nullable=False),
    # Repeated from `decision` at insert, for filtering and exports in SQL (since 0003).
    Column("required", String(400), nullable=True),
    Column("missing", String(400), nullable=True),
    Column("grounds", String(400), nullable=True),
    Column("rationale", Text, nullable=True),
    Column("review_date", Date, nullable=True),
    Column("deviates", Boolean, nullable=True),
    Column("rule_ids", String(600), nullable=True),
    UniqueConstraint("hsa_id", "revision", name="uq_assessment_revisions_hsa_id_revision"),
    Index("ix_assessment_revisions_review_date", "review_date"),
    # each unit's revisions by the moment submitted, from the index alone (0020)
    Index("ix_assessment_revisions_submitted", "hsa_id", "revision", "created_at"),
)

# Append-only too; each event carries the hash of the previous one (a chain), and a unique
# prev_hash makes a fork impossible.
audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(50), nullable=False),
    Column("details", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False),
    # the fingerprint of the key that chained it (HMAC; since 0009); NULL: unkeyed, from before
    Column("key_id", String(16), nullable=True),
)

# Work in progress: one open draft per unit (the primary key), updated in place, removed
# when the decision is recorded. `holder` is who may save it; others may take it over.
drafts = Table(
    "drafts",
    metadata,
    Column("hsa_id", String(31), ForeignKey("units.hsa_id"), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("since", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("data", JSON, nullable=False),
    # everyone who wrote any part of it ("|"-joined e-mails; since 0007): none may approve it
    Column("editors", Text, nullable=False, server_default=""),
)

# Users and roles (kept by administrators; deactivated, never deleted).
users = Table(
    "users",
    metadata,
    Column("email", String(254), primary_key=True),
    Column("namn", String(200), nullable=False),
    Column("roles", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(254), nullable=False),
    Column("units", Text, nullable=False, server_default=""),  # HSA-ids, "|"-joined
    Column("language", String(2), nullable=True),  # the one last chosen: their mail's
)

# Four-eyes verdicts, append-only: one per revision (approved or returned), bound to the
# content hash of the revision as the approver saw it.
approvals = Table(
    "approvals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("hsa_id", String(31), ForeignKey("units.hsa_id"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("verdict", String(20), nullable=False),  # faststalld or aterremitterad
    Column("comment", Text, nullable=False),
    Column("approver", String(254), nullable=False),  # "actor" before 0006
    Column("at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("hsa_id", "revision", name="uq_approvals_hsa_id_revision"),
)

# Append-only (since 0011): every import of the unit file is an observation of each unit's
# facts on a date (`observed`), recorded at `recorded_at`. The roll-out is derived from them;
# what was known at a moment is the rows recorded by then.
observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("hsa_id", String(31), ForeignKey("units.hsa_id"), nullable=False),
    Column("observed", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    *unit_facts(),
    Column("regionala_mallar", String(400), nullable=False),
    # "fil": an import of the unit file; "beslut": corrections approved with a decision
    # (the progress over time counts the files only: one unit is not a point on the curve)
    Column("source", String(10), nullable=False, server_default="fil"),
    Column("recorded_by", String(254), nullable=True),  # who (0018); not in the digest
    # a unit's observations by date, with what the history path reads of each (0020)
    Index(
        "ix_observations_history",
        "hsa_id",
        "observed",
        "id",
        "recorded_at",
        "e_tjanster",
        "regionala_mallar",
        "source",
    ),
    Index("ix_observations_observed", "observed"),
    Index("ix_observations_source", "source"),  # a unit's own reports, found alone (0018)
)

# The roll-out now (since 0012): a projection of the observations and the decisions in force,
# one row per unit in scope and case type required or exempted, rewritten for a unit when it
# is observed or a decision on it approved, and for all when the catalog changes. Everything
# in it is derived (services/rollout.py); the status, which depends on the date, is worked
# out when read. rollout_progress adds up, per observation date, administration and case
# type, the units observed that day and required to have it, with it, and on the template.
rollout = Table(
    "rollout",
    metadata,
    Column("hsa_id", String(31), ForeignKey("units.hsa_id"), primary_key=True),
    Column("arendetyp", String(30), primary_key=True),
    Column("enhet", String(200), nullable=False),
    Column("forvaltning", String(200), nullable=False),
    Column("exempted", Boolean, nullable=False),
    Column("in_place", Boolean, nullable=False),
    Column("mall", Boolean, nullable=False),
    Column("infort_efter", Date, nullable=True),
    Column("infort_senast", Date, nullable=True),
    Column("removed_efter", Date, nullable=True),
    Column("removed_senast", Date, nullable=True),
    Column("frist", Date, nullable=True),
    Column("frist_scope", String(200), nullable=False),
    Column("i_tid", String(5), nullable=False),
    Column("basis", String(10), nullable=False),
    Column("catalog_version", String(20), nullable=False),
    Index("ix_rollout_order", "forvaltning", "enhet", "hsa_id", "arendetyp"),  # the export
    # every column the figures group by: counted from the index in its order (0019)
    Index(
        "ix_rollout_tally",
        "forvaltning",
        "arendetyp",
        "exempted",
        "in_place",
        "mall",
        "frist",
        "i_tid",
        "frist_scope",
        "infort_senast",
    ),
)
rollout_progress = Table(
    "rollout_progress",
    metadata,
    Column("observed", Date, primary_key=True),
    Column("forvaltning", String(200), primary_key=True),
    Column("arendetyp", String(30), primary_key=True),
    Column("units", Integer, nullable=False),
    Column("in_place", Integer, nullable=False),
    Column("on_template", Integer, nullable=False),
)

# The policy kept in the record (since 0013), append-only: each catalog version as proposed
# (its files as text, the date it takes effect, the version it changes), and at most one
# verdict on it (approved or withdrawn), bound to the version seen.
catalog_versions = Table(
    "catalog_versions",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("version", String(20), nullable=False),
    Column("based_on", Integer, nullable=True),
    Column("effective_from", Date, nullable=False),
    Column("proposed_by", String(254), nullable=False),
    Column("proposed_at", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False),
    Column("files", JSON, nullable=False),
)
catalog_verdicts = Table(
    "catalog_verdicts",
    metadata,
    Column("number", Integer, ForeignKey("catalog_versions.number"), primary_key=True),
    Column("verdict", String(20), nullable=False),  # faststalld or aterkallad
    Column("by", String(254), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("version", String(20), nullable=False),
)

# A unit manager's acknowledgement (kvittens) of the decision in force on their unit,
# append-only: one per person and revision, bound to the content hash they saw.
acknowledgements = Table(
    "acknowledgements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("hsa_id", String(31), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("email", String(254), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("content_hash", String(64), nullable=False),
    UniqueConstraint("hsa_id", "revision", "email", name="uq_acknowledgements_once"),
)

# A unit manager's request (a new assessment, an exemption) and its answer, given once.
unit_requests = Table(
    "unit_requests",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=True),
    Column("hsa_id", String(31), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("asked_by", String(254), nullable=False),
    Column("asked_at", DateTime(timezone=True), nullable=False),
    Column("answer", Text, nullable=True),
    Column("answered_by", String(254), nullable=True),
    Column("answered_at", DateTime(timezone=True), nullable=True),
    Column("answered_revision", Integer, nullable=True),  # answered by this decision (0018)
)

# Mail (since 0017): written in the same transaction as what it tells, sent once by
# `send-mail`. A sender claims a mail until a moment (a sender killed half way leaves a claim
# that runs out), then marks it sent, or failed for good when the server refused it.
outbox = Table(
    "outbox",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=True),
    Column("key", String(400), nullable=False, unique=True),  # what it tells, written once
    Column("kind", String(30), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("recipient_name", String(200), nullable=False),
    Column("language", String(2), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("message_id", String(200), nullable=False),  # the same on every attempt
    Column("about", Text, nullable=True),  # a digest's request numbers, "|"-joined
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("claimed_by", String(40), nullable=True),
    Column("claimed_until", DateTime(timezone=True), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("failed_at", DateTime(timezone=True), nullable=True),
    Index("ix_outbox_unsent", "sent_at", "failed_at", "number"),
)

APPEND_ONLY = (
    "assessment_revisions",
    "audit_events",
    "approvals",
    "observations",
    "catalog_versions",
    "catalog_verdicts",
    "acknowledgements",
)
__all__ = [
    "metadata",
    "units",
    "assessment_revisions",
    "audit_events",
    "drafts",
    "users",
    "approvals",
    "observations",
    "rollout",
    "rollout_progress",
    "catalog_versions",
    "catalog_verdicts",
    "acknowledgements",
    "unit_requests",
    "outbox",
    "APPEND_ONLY",
]
