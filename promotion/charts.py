"""Bar charts drawn on the server: the numbers and the lengths of the bars; the browser sets the words.

A chart is a list of groups (an indicator, a month), each a label and a few bars. A bar's length
is a share of its scale; ``templates/includes/_bars.html`` draws it as an SVG rectangle sized by
its attributes and writes the words beside it as HTML text, so the browser wraps them at any
screen width and text size, and the stylesheet (``static/css/site.css``) lays them out.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .units import year_text

SLATE = "#4a5761"
CANAL = "#0b6e69"
MIN_LENGTH = 1.0  # per cent: a value above zero always shows a sliver of a bar


@dataclass(frozen=True)
class Bar:
    """One bar: what it counts, its number in words and its length."""

    kind: str  # a class for the stylesheet: "reported", "target", "received"…
    value: Decimal
    text: str  # written beside the bar
    fraction: float  # of the largest value on its scale
    length: float  # per cent of the room the chart gives its bars
    colour: str
    caption: str = ""  # written above the bar
    spoken: str = ""  # what a screen reader hears instead of `text`, when the words are shown once for all groups


@dataclass(frozen=True)
class Group:
    """One indicator or one period: a label over its bars."""

    label: str
    bars: tuple[Bar, ...]
    when: str = ""  # the year or period the figures hold for


@dataclass(frozen=True)
class BarChart:
    groups: tuple[Group, ...]


def bar(kind: str, value, largest, text: str, colour: str, span: float = 100.0, **words: str) -> Bar:
    """A bar for `value` on a scale up to `largest`, at most `span` per cent long."""
    value, largest = Decimal(value), Decimal(largest)
    fraction = float(max(value, Decimal(0)) / largest) if largest > 0 else 0.0
    length = max(fraction * span, MIN_LENGTH) if fraction else 0.0
    return Bar(kind, value, text, fraction, round(length, 2), colour, **words)


# --- The plan targets beside the figures the zone has reported ---------------------------------


def charted_targets(targets: Iterable) -> list:
    """The targets a chart can draw: a value to aim for and a reported figure to start from."""
    return [t for t in targets if t.value is not None and t.baseline is not None and t.baseline.value is not None]


def _when(figure) -> str:
    """The year or period a reported figure holds for: "2015" / "2015年"."""
    if figure.year:
        return year_text(figure.year)
    return figure.period or ""


def plan_chart(targets: Iterable) -> BarChart:
    """Per indicator, the reported figure and the target as two bars, each with its words above it.

    Units differ from one indicator to the next, so each bar's length is a share of the larger
    value of its own group; targets without a value or a reported figure are left out. Words and
    numbers are written in the active language.
    """
    groups = []
    for target in charted_targets(targets):
        reported, when = target.baseline, _when(target.baseline)
        largest = max(reported.value, target.value, Decimal(0))
        reported_caption = _("Reported (%(when)s)") % {"when": when} if when else _("Reported")
        target_caption = _("Target (end of the 13th Five-Year Plan)")
        bars = (
            bar("reported", reported.value, largest, str(reported.amount), SLATE, caption=reported_caption),
            bar("target", target.value, largest, str(target.amount), CANAL, caption=target_caption),
        )
        groups.append(Group(target.label, bars, when))
    return BarChart(tuple(groups))
