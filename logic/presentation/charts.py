"""What every chart shares. Altair turns a channel given as a plain string or dict (a
tooltip's column, `alt.value(8)`, `x="day:T"`) into its schema class by matching it against
the whole Vega-Lite schema, some 20 ms a channel; a channel given as its class is taken as
it is. The report draws ten charts and the pages several on every rerun, so the charts give
every channel as a class (the same Vega-Lite either way)."""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt


def tooltips(columns: Iterable[object]) -> list[alt.Tooltip]:
    """A tooltip of every column, in order."""
    return [alt.Tooltip(str(c)) for c in columns]
