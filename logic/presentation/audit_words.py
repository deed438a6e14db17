"""An audit event's details as a person reads them in the log on Administration: a phrase
per detail ("revision 2", "beslut: Omfattas", "72 nya"), codes named as the catalog and the
pages name them, checksums shortened. The stored event keeps its details as written; this
only shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from logic.clock import region
from logic.domain.catalog import Catalog
from logic.i18n import t
from logic.presentation.labels import NONE

HASH_SHOWN = 12  # characters of a checksum shown (the whole one is in the record)
LISTED = 5  # items of a long list shown before "and N more"

Words = Callable[[Any, Catalog, str], str]


def _plain(key: str) -> Words:
    return lambda value, _cat, lang: t(f"audit.detail.{key}", lang, value=value)


def _count(key: str) -> Words:
    return lambda value, _cat, lang: t(f"audit.detail.{key}", lang, count=value)


def _moment(value: Any) -> str:
    """A stored moment (ISO 8601) as people write it, in the region's time: "2026-12-06 02:58"."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if len(str(value)) == len("YYYY-MM-DD"):  # a day, not a moment
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(region())
    return moment.strftime("%Y-%m-%d %H:%M")


def _checksum(value: Any, _cat: Catalog, lang: str) -> str:
    if not value:  # no checksum (a chain without events has no head)
        return ""
    return t("audit.detail.checksum", lang, value=str(value)[:HASH_SHOWN])


def _listed(values: list[str], lang: str) -> str:
    shown = ", ".join(str(v) for v in values[:LISTED])
    more = len(values) - LISTED
    return shown + (" " + t("audit.detail.more", lang, count=more) if more > 0 else "")


def _based_on(value: Any, _cat: Catalog, lang: str) -> str:
    if value is None:
        return t("audit.detail.new_assessment", lang)
    return t("audit.detail.based_on", lang, value=value)


def _comment(value: Any, _cat: Catalog, lang: str) -> str:
    return t("audit.detail.comment", lang, value=value) if value else ""


def _outcome(value: Any, _cat: Catalog, lang: str) -> str:
    return t("audit.detail.outcome", lang, value=t(f"decision.{value}", lang))


def _verdict(value: Any, _cat: Catalog, lang: str) -> str:
    return t("audit.detail.verdict", lang, value=t(f"status.{value}", lang))


def _reason(value: Any, _cat: Catalog, lang: str) -> str:
    return t(f"workflow.refused.{value}", lang)


def _roles(value: Any, _cat: Catalog, lang: str) -> str:
    names = ", ".join(t(f"role.{r}", lang) for r in value) or "–"
    return t("audit.detail.roles", lang, value=names)


def _person(value: Any, cat: Catalog, lang: str) -> str:
    """A user as saved (the `after` of add_user and change_user)."""
    if not isinstance(value, Mapping):
        return ""
    active = t("answer.yes" if value.get("active", True) else "answer.no", lang)
    person = t(
        "audit.detail.person",
        lang,
        namn=value.get("namn", ""),
        roles=_roles(value.get("roles", ()), cat, lang),
        active=active,
    )
    held = value.get("units") or ()
    return person + (t("audit.detail.held", lang, units=", ".join(held)) if held else "")


def _before(value: Any, cat: Catalog, lang: str) -> str:
    if value is None:
        return t("audit.detail.new_user", lang)
    return t("audit.detail.before", lang, value=_person(value, cat, lang))


def _via(value: Any, _cat: Catalog, lang: str) -> str:
    return t(f"audit.detail.via_{value}", lang) if value in ("local", "oidc") else str(value)


# An export's filters as the page names them, each value in words (the address keeps codes).
FILTER_LABELS = {
    "forvaltning": "register.f_forvaltning",
    "utfall": "register.f_utfall",
    "variant": "register.f_variant",
    "status": "register.f_status",
    "omprovas_inom": "register.f_omprovas",
    "beslutsstatus": "register.f_beslutsstatus",
    "avviker": "register.f_avviker",
    "bor_omprovas": "register.f_bor_omprovas",
    "saknar": "register.f_saknar",
    "text": "register.f_text",
    "arendetyp": "rollout.col.arendetyp",
}


def _filter_value(action: str, key: str, value: Any, cat: Catalog, lang: str) -> str:
    if key == "utfall":
        return t(f"decision.{value}", lang)
    if key in ("status", "beslutsstatus"):
        return t(
            f"rollout.status.{value}" if action == "export_rollout" else f"status.{value}", lang
        )
    if key == "variant":
        return cat.variant(value).name(lang)
    if key in ("saknar", "arendetyp"):
        return cat.case_type(value).name(lang)
    if key in ("avviker", "bor_omprovas"):
        return t("answer.yes" if str(value) in ("1", "True", "true") else "answer.no", lang)
    return str(value)


def _filter(action: str, value: Any, cat: Catalog, lang: str) -> str:
    """The filters of an export, as the page names them, with their values in words."""
    if not value:
        return t("audit.detail.no_filter", lang)
    labels = FILTER_LABELS | (
        {"status": "rollout.col.status"} if action == "export_rollout" else {}
    )
    parts = [
        f"{t(labels[k], lang) if k in labels else k} = {_filter_value(action, k, v, cat, lang)}"
        for k, v in value.items()
        if k not in ("sort", "desc", "page")
    ]
    return t("audit.detail.filter", lang, value="; ".join(parts)) if parts else ""


def _profile(value: Any, _cat: Catalog, lang: str) -> str:
    return t(f"audit.detail.profile_{value.replace('-', '_')}", lang)


def _forvaltning(value: Any, _cat: Catalog, lang: str) -> str:
    if not value:
        return t("audit.detail.whole_region", lang)
    return t("audit.detail.forvaltning", lang, value=value)


def _revisions(value: Any, _cat: Catalog, lang: str) -> str:
    return t("audit.detail.revisions", lang, count=len(value), value=_listed(list(value), lang))


def _language(value: Any, _cat: Catalog, lang: str) -> str:
    return t(f"audit.detail.in_{value}", lang)  # an unknown language: shown as written


def _intact(value: Any, _cat: Catalog, lang: str) -> str:
    return t("audit.detail.intact" if value else "audit.detail.not_intact", lang)


def _problem(value: Any, _cat: Catalog, lang: str, where: Any = "") -> str:
    return t(str(value), lang, where=where) if value else ""


def _permission(value: Any, _cat: Catalog, lang: str) -> str:
    return t("audit.detail.permission", lang, value=t(f"permission.{value}", lang))


WORDS: dict[str, Words] = {
    "hsa_id": _plain("hsa_id"),
    "based_on": _based_on,
    "from": _plain("from"),
    "step": _plain("step"),
    "revision": _plain("revision"),
    "revisions": _revisions,
    "outcome": _outcome,
    "verdict": _verdict,
    "reason": _reason,
    "comment": _comment,
    "content_hash": _checksum,
    "sha256": _checksum,
    "digest": _checksum,
    "head": _checksum,
    "observations": _count("observations"),
    "source": _plain("source"),
    "observed": _plain("observed"),
    "added": _count("added"),
    "updated": _count("updated"),
    "changed": _count("updated"),  # the people a unit managers file changed
    "unchanged": _count("unchanged"),
    "older": _count("older"),
    "email": _plain("email"),
    "before": _before,
    "after": _person,
    "via": _via,
    "roles": _roles,
    "profile": _profile,
    "rows": _count("rows"),
    "table": _plain("table"),
    "as_of": _plain("as_of"),
    "known_at": lambda value, _cat, lang: t("audit.detail.known_at", lang, value=_moment(value)),
    "forvaltning": _forvaltning,
    "format": lambda value, _cat, lang: t("audit.detail.format", lang, value=str(value).upper()),
    "units": _count("units"),
    "catalog_version": _plain("catalog_version"),
    "proposed_version": _plain("proposed_version"),
    "lang": _language,
    "intact": _intact,
    "unkeyed_events": _count("unkeyed_events"),
    "action": _permission,
    "mails": _count("mails"),
    "sent": _count("sent"),
    "failed": _count("failed"),
    "error": _plain("error"),
    "case_type": _plain("case_type"),
    "in_place": _plain("in_place"),
}
# Said by another detail's words: the problem with where it was found; words as asked.
SAID_WITH_OTHERS = {"where", "in_words"}


def event_details(action: str, details: Mapping[str, Any], cat: Catalog, lang: str) -> str:
    """The details of one event as one line of phrases; "–" when there are none."""
    if action.startswith("catalog_"):
        try:
            return _catalog_event(action, details, lang)
        except (KeyError, TypeError, ValueError):  # as stored, like any detail without words
            pass
    parts = []
    for key, value in details.items():
        if key in SAID_WITH_OTHERS:
            continue
        try:
            if key == "filter":
                parts.append(_filter(action, value, cat, lang))
            elif key == "problem":
                parts.append(_problem(value, cat, lang, details.get("where", "")))
            elif key in WORDS:
                parts.append(WORDS[key](value, cat, lang))
            else:  # a detail without words yet: shown, never hidden
                parts.append(_as_written(key, value))
        except (KeyError, StopIteration, TypeError, ValueError, AttributeError):
            # the log keeps events of older versions and catalogs: a code no longer known
            # is shown as written, and the page still opens
            parts.append(_as_written(key, value))
    return "; ".join(p for p in parts if p) or NONE


def _catalog_event(action: str, d: Mapping[str, Any], lang: str) -> str:
    """A catalog version's event: which version, what it changes and from when, why; or
    why a verdict on it was refused."""
    if action == "catalog_refused":
        return "; ".join(
            [
                t("audit.detail.catalog_number", lang, number=d["number"]),
                t(f"catalog.refused.{d['reason']}", lang, detail=""),
            ]
        )
    parts = [t("audit.detail.catalog_numbered", lang, number=d["number"], version=d["version"])]
    if action == "catalog_started":
        parts.append(t("audit.detail.catalog_from_beginning", lang))
    if action == "catalog_proposed":
        if d.get("based_on") is not None:
            parts.append(t("audit.detail.catalog_changes", lang, number=d["based_on"]))
        parts.append(t("audit.detail.catalog_from", lang, value=d["from"]))
        parts.append(t("audit.detail.catalog_reason", lang, value=d["reason"]))
    return "; ".join(parts)


def _as_written(key: str, value: Any) -> str:
    """A detail as stored: its name and value, lists joined, nothing for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, Mapping):
        value = ", ".join(f"{k} = {v}" for k, v in value.items())
    return f"{key}: {value}"
