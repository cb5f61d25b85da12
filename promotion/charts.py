"""Bar charts drawn on the server: the plan targets beside the figures the zone has reported.

Everything here is arithmetic on numbers and words; the SVG itself is written by
``templates/includes/_bar_chart.html``. Coordinates are in the SVG's own user units
(its ``viewBox``), so the chart scales with the page.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .units import Quantity, year_text

SLATE = "#4a5761"  # the reported figure
CANAL = "#0b6e69"  # the target

# Share of an em that a character takes, measured on DejaVu Sans, the widest of the fonts the
# site's stack falls back to (Segoe UI, Roboto, PingFang are narrower). Generous on purpose:
# a label estimated too wide wraps a little early, one estimated too narrow overflows.
THIN_CHARACTERS = set(" .,:;!|'’‘ijlI")
NARROW_CHARACTERS = set("()[]ft-/r")
WIDE_CHARACTERS = set("mwMW@%—")
CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
TOKENS = re.compile(rf"[{CJK}][、，。；：！？）」』”]*|[^\s{CJK}]+?(?:[-–—/]|(?=[\s{CJK}])|$)|\s+")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An estimate of how wide a line of text is drawn, in the units of its font size."""
    ems = 0.0
    for character in text:
        if unicodedata.east_asian_width(character) in ("W", "F"):
            ems += 1.0
        elif character in THIN_CHARACTERS:
            ems += 0.32
        elif character in NARROW_CHARACTERS:
            ems += 0.42
        elif character in WIDE_CHARACTERS:
            ems += 0.95
        elif character.isupper():
            ems += 0.70
        elif character.isdigit():
            ems += 0.64
        else:
            ems += 0.58
    return ems * size * (1.15 if bold else 1.02)


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Words (split after dashes) and single Chinese characters, each with whether a space comes before it."""
    tokens, space = [], False
    for token in TOKENS.findall(" ".join(text.split())):
        if token.isspace():
            space = True
            continue
        tokens.append((token, space))
        space = False
    return tokens


def _split_long(word: str, max_width: float, size: float, bold: bool) -> list[str]:
    pieces, piece = [], ""
    for character in word:
        if piece and text_width(piece + character, size, bold) > max_width:
            pieces.append(piece)
            piece = ""
        piece += character
    return [*pieces, piece] if piece else pieces


def wrap_lines(
    text: str, max_width: float, size: float, max_lines: int | None = None, bold: bool = False
) -> list[tuple[str, bool]]:
    """Break text into lines no wider than max_width: between words, after dashes, between Chinese characters.

    Each line comes with whether a space separated it from the next in the text, so the lines
    can be joined back into the same words. With max_lines, what does not fit ends the last
    line with an ellipsis.
    """
    lines: list[tuple[str, bool]] = []
    line = ""
    for token, space in _tokens(text):
        candidate = f"{line} {token}" if space and line else line + token
        if not line or text_width(candidate, size, bold) <= max_width:
            line = candidate
        else:
            lines.append((line, space))
            line = token
        if text_width(line, size, bold) > max_width:
            *full, line = _split_long(line, max_width, size, bold)
            lines.extend((piece, False) for piece in full)
    if line:
        lines.append((line, False))
    if max_lines and len(lines) > max_lines:
        last = lines[max_lines - 1][0]
        while last and text_width(last.rstrip() + "…", size, bold) > max_width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], (last.rstrip(" -–—/,") + "…", False)]
    return lines


def wrap_text(text: str, max_width: float, size: float, max_lines: int | None = None, bold: bool = False) -> list[str]:
    """The lines of wrap_lines() without their spacing."""
    return [line for line, _space in wrap_lines(text, max_width, size, max_lines, bold)]


@dataclass(frozen=True)
class TextLine:
    x: float
    y: float
    text: str
    space_after: bool = False  # a space joins it to the next line, so the text reads (and copies) as words


@dataclass(frozen=True)
class Bar:
    """One bar: its number, its share of its group's scale and where it is drawn."""

    kind: str  # "reported" or "target"
    caption: str
    amount: Quantity
    value: Decimal
    fraction: float
    colour: str
    caption_lines: tuple[TextLine, ...]
    x: float
    y: float
    width: float
    height: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class Group:
    """One indicator: the reported figure and the target, on the indicator's own scale."""

    label: str
    when: str
    label_lines: tuple[TextLine, ...]
    reported: Bar
    target: Bar
    rule_y: float | None  # a hairline above the group, except the first

    @property
    def bars(self) -> tuple[Bar, Bar]:
        return (self.reported, self.target)


@dataclass(frozen=True)
class PlanChart:
    width: float
    height: float
    groups: tuple[Group, ...]

    @property
    def max_width_rem(self) -> float:
        """Drawn no larger than about 1.15 px a unit, so the words come out near the body text's size."""
        return round(self.width / 14, 2)


# Geometry, in user units. The chart is drawn narrow so that its words stay legible on a phone.
CHART_WIDTH = 400
MIN_BAR_SPACE = 150
LABEL_SIZE = 16
LABEL_LINE = 22
CAPTION_SIZE = 14
CAPTION_LINE = 19
LABEL_DESCENT = 6  # from the bottom of a line to the baseline of its text
CAPTION_DESCENT = 5
CAPTION_GAP = 3
VALUE_SIZE = 15
BAR_HEIGHT = 20
BAR_GAP = 8
GROUP_GAP = 28
VALUE_GAP = 6
MIN_BAR = 2.0


def charted_targets(targets: Iterable) -> list:
    """The targets a chart can draw: a value to aim for and a reported figure to start from."""
    return [t for t in targets if t.value is not None and t.baseline is not None and t.baseline.value is not None]


def _when(figure) -> str:
    """The year or period a reported figure holds for: "2015" / "2015年"."""
    if figure.year:
        return year_text(figure.year)
    return figure.period or ""


def _bars(target) -> list[tuple[str, str, object]]:
    """What each of a target's two bars shows: (kind, caption, the figure with its value and amount)."""
    when = _when(target.baseline)
    reported = _("Reported (%(when)s)") % {"when": when} if when else _("Reported")
    return [("reported", reported, target.baseline), ("target", _("Target (end of the 13th Five-Year Plan)"), target)]


def plan_chart(targets: Iterable) -> PlanChart:
    """Chart data for plan targets: per indicator, the reported figure and the target as two bars.

    Units differ from one indicator to the next, so each bar's length is a fraction of the
    larger value of its own group; targets without a value or a reported figure are left out.
    Words and numbers are written in the active language.
    """
    chosen = charted_targets(targets)
    specs = [_bars(target) for target in chosen]

    # Every bar's value is written at its end: leave room for the longest of them.
    value_space = max(
        (text_width(str(item.amount), VALUE_SIZE, bold=True) for bars in specs for *_, item in bars), default=0
    )
    left = 2.0
    width = float(CHART_WIDTH)
    bar_space = width - 2 * left - VALUE_GAP - value_space
    if bar_space < MIN_BAR_SPACE:
        width += MIN_BAR_SPACE - bar_space
        bar_space = MIN_BAR_SPACE
    text_space = width - 2 * left

    groups = []
    y = 0.0
    for index, (target, bars) in enumerate(zip(chosen, specs, strict=True)):
        largest = max(max(item.value, Decimal(0)) for *_, item in bars)
        rule_y = None
        if index:
            rule_y = y + GROUP_GAP / 2
            y += GROUP_GAP
        label_lines = []
        for line, space in wrap_lines(target.label, text_space, LABEL_SIZE, bold=True):
            y += LABEL_LINE
            label_lines.append(TextLine(left, y - LABEL_DESCENT, line, space))
        drawn = []
        for kind, caption, item in bars:
            caption_lines = []
            for line, space in wrap_lines(caption, text_space, CAPTION_SIZE):
                y += CAPTION_LINE
                caption_lines.append(TextLine(left, y - CAPTION_DESCENT, line, space))
            y += CAPTION_GAP
            fraction = float(max(item.value, Decimal(0)) / largest) if largest else 0.0
            length = max(fraction * bar_space, MIN_BAR) if fraction else 0.0
            drawn.append(
                Bar(
                    kind=kind,
                    caption=caption,
                    amount=item.amount,
                    value=item.value,
                    fraction=fraction,
                    colour=SLATE if kind == "reported" else CANAL,
                    caption_lines=tuple(caption_lines),
                    x=left,
                    y=y,
                    width=round(length, 2),
                    height=BAR_HEIGHT,
                    value_x=round(left + length + VALUE_GAP, 2),
                    value_y=y + BAR_HEIGHT / 2 + VALUE_SIZE * 0.35,
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        groups.append(
            Group(
                label=target.label,
                when=_when(target.baseline),
                label_lines=tuple(label_lines),
                reported=drawn[0],
                target=drawn[1],
                rule_y=rule_y,
            )
        )
    return PlanChart(width=round(width, 2), height=round(y, 2), groups=tuple(groups))
