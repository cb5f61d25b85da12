"""A schematic map of the zone: the parks as labelled plots on terraces below the canal.

It is a diagram, not a survey map: the arrangement follows the parks' order, not their
places on the ground. The layout is worked out here, in SVG user units, and drawn by
``templates/includes/_zone_map.html``.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .charts import TextLine, wrap_text
from .models import Park

MARGIN = 14
CELL_WIDTH = 200
COLUMN_GAP = 12
ROW_GAP = 14
CANAL_HEIGHT = 62
RIVER_GAP = 22
LABEL_SIZE = 15
LABEL_LINE = 19
LABEL_PADDING = 14
MAX_LINES = 3
MIN_PLOT_HEIGHT = 66
WAVE_ROOM = 14

PLOT_FILL, PLOT_STROKE = "#eef5f4", "#0b6e69"
BAND_FILL, BAND_STROKE = "#dcebd8", "#2f6b3a"


@dataclass(frozen=True)
class ParkShape:
    """One park drawn as a rounded plot (or, for an ecological park, a green band by the river)."""

    park: Park
    x: float
    y: float
    width: float
    height: float
    lines: tuple[TextLine, ...]
    is_band: bool
    fill: str
    stroke: str
    wave: str = ""

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class ZoneMap:
    width: float
    height: float
    shapes: tuple[ParkShape, ...]
    canal: str
    canal_label: TextLine
    terraces: tuple[str, ...]


def _wave(x0: float, x1: float, y: float, amplitude: float, waves: int) -> str:
    """A smooth wavy line from x0 to x1 around height y, as SVG path data."""
    step = (x1 - x0) / (2 * waves)
    path = f"M{x0:g} {y:g} Q{x0 + step / 2:g} {y - amplitude:g} {x0 + step:g} {y:g}"
    for i in range(2, 2 * waves + 1):
        path += f" T{x0 + i * step:g} {y:g}"
    return path


def _label(text: str, x: float, y: float, width: float, height: float, space_below: float = 0) -> tuple[TextLine, ...]:
    lines = wrap_text(text, width - 2 * LABEL_PADDING + 4, LABEL_SIZE, MAX_LINES)
    middle = y + (height - space_below) / 2
    first = middle - (len(lines) - 1) * LABEL_LINE / 2 + LABEL_SIZE * 0.35
    return tuple(TextLine(round(x + width / 2, 2), round(first + i * LABEL_LINE, 2), line) for i, line in enumerate(lines))


def _lines_needed(text: str, width: float) -> int:
    return len(wrap_text(text, width - 2 * LABEL_PADDING + 4, LABEL_SIZE, MAX_LINES))


def zone_map(parks: Sequence[Park], columns: int = 2) -> ZoneMap:
    """Lay the parks out in their order: industrial parks and bases on terraces, ecological parks by the river.

    Works for any number of parks; long names wrap onto up to three lines.
    """
    columns = max(1, columns)
    width = 2 * MARGIN + columns * CELL_WIDTH + (columns - 1) * COLUMN_GAP
    plots = [park for park in parks if park.kind != Park.Kind.ECOLOGICAL_PARK]
    bands = [park for park in parks if park.kind == Park.Kind.ECOLOGICAL_PARK]

    most_lines = max((_lines_needed(park.name, CELL_WIDTH) for park in plots), default=1)
    plot_height = max(MIN_PLOT_HEIGHT, 2 * LABEL_PADDING + most_lines * LABEL_LINE)

    shapes: list[ParkShape] = []
    terraces: list[str] = []
    y = float(CANAL_HEIGHT)
    rows = math.ceil(len(plots) / columns)
    for row in range(rows):
        in_row = plots[row * columns : (row + 1) * columns]
        row_width = len(in_row) * CELL_WIDTH + (len(in_row) - 1) * COLUMN_GAP
        x = (width - row_width) / 2
        for park in in_row:
            shapes.append(
                ParkShape(
                    park=park,
                    x=x,
                    y=y,
                    width=CELL_WIDTH,
                    height=plot_height,
                    lines=_label(park.name, x, y, CELL_WIDTH, plot_height),
                    is_band=False,
                    fill=PLOT_FILL,
                    stroke=PLOT_STROKE,
                )
            )
            x += CELL_WIDTH + COLUMN_GAP
        y += plot_height + ROW_GAP
        if row < rows - 1:
            # A terrace edge between rows, like the steps cut into the Taihang slopes.
            terraces.append(_wave(MARGIN, width - MARGIN, y - ROW_GAP / 2, 3, columns * 2))
    if rows:
        y += RIVER_GAP - ROW_GAP

    if bands:
        band_width = (width - 2 * MARGIN - (len(bands) - 1) * COLUMN_GAP) / len(bands)
        most_lines = max(_lines_needed(park.name, band_width) for park in bands)
        band_height = max(MIN_PLOT_HEIGHT, 2 * LABEL_PADDING + most_lines * LABEL_LINE) + WAVE_ROOM
        x = float(MARGIN)
        for park in bands:
            wave_y = y + band_height - 12
            shapes.append(
                ParkShape(
                    park=park,
                    x=round(x, 2),
                    y=y,
                    width=round(band_width, 2),
                    height=band_height,
                    lines=_label(park.name, x, y, band_width, band_height, space_below=WAVE_ROOM),
                    is_band=True,
                    fill=BAND_FILL,
                    stroke=BAND_STROKE,
                    wave=_wave(x + 18, x + band_width - 18, wave_y, 3, max(2, round(band_width / 70))),
                )
            )
            x += band_width + COLUMN_GAP
        y += band_height + MARGIN
    elif rows:
        y += MARGIN - RIVER_GAP + ROW_GAP

    canal_y = CANAL_HEIGHT - 22
    return ZoneMap(
        width=width,
        height=round(max(y, CANAL_HEIGHT), 2),
        shapes=tuple(shapes),
        canal=_wave(0, width, canal_y, 6, columns * 3),
        canal_label=TextLine(MARGIN, 22, _("Hongqi Canal")),
        terraces=tuple(terraces),
    )
