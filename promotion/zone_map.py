"""A schematic map of the zone: the parks as labelled plots on terraces below the canal.

It is a diagram, not a survey map: the arrangement follows the parks' order, not their
places on the ground. The layout is worked out here, in SVG user units, and drawn by
``templates/includes/_zone_map.html``.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .charts import TextLine, wrap_lines
from .models import Park

MARGIN = 12
CELL_WIDTH = 206
NARROW_CELL_WIDTH = 296  # one column for phones, so the names stay near body-text size
COLUMN_GAP = 12
ROW_GAP = 14
CANAL_HEIGHT = 62
RIVER_GAP = 22
LABEL_SIZE = 15
LABEL_LINE = 19
LABEL_PADDING_X = 8
LABEL_PADDING_Y = 14
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
    variant: str = "wide"

    @property
    def max_width_rem(self) -> float:
        """Drawn no larger than about 1.15 px a unit, so the words come out near the body text's size."""
        return round(self.width / 14, 2)

    @property
    def breakpoint_em(self) -> float:
        """Below this screen width the drawing would shrink its words: the one-column drawing takes over."""
        return round(self.max_width_rem + 2, 2)

    @property
    def frame(self) -> tuple[float, float]:
        """Width and height of the paper's hairline frame, drawn half a unit inside the edges."""
        return self.width - 1, self.height - 1


def _wave(x0: float, x1: float, y: float, amplitude: float, waves: int) -> str:
    """A smooth wavy line from x0 to x1 around height y, as SVG path data."""
    step = (x1 - x0) / (2 * waves)
    path = f"M{x0:g} {y:g} Q{x0 + step / 2:g} {y - amplitude:g} {x0 + step:g} {y:g}"
    for i in range(2, 2 * waves + 1):
        path += f" T{x0 + i * step:g} {y:g}"
    return path


def _label(text: str, x: float, y: float, width: float, height: float, space_below: float = 0) -> tuple[TextLine, ...]:
    lines = wrap_lines(text, width - 2 * LABEL_PADDING_X, LABEL_SIZE, MAX_LINES)
    middle = y + (height - space_below) / 2
    first = middle - (len(lines) - 1) * LABEL_LINE / 2 + LABEL_SIZE * 0.35
    centre = round(x + width / 2, 2)
    return tuple(
        TextLine(centre, round(first + i * LABEL_LINE, 2), line, space) for i, (line, space) in enumerate(lines)
    )


def _lines_needed(text: str, width: float) -> int:
    return len(wrap_lines(text, width - 2 * LABEL_PADDING_X, LABEL_SIZE, MAX_LINES))


def _rows(items: list, columns: int) -> list[list]:
    return [items[i : i + columns] for i in range(0, len(items), columns)]


def zone_map(parks: Sequence[Park], columns: int = 2, cell_width: float = CELL_WIDTH, variant: str = "wide") -> ZoneMap:
    """Lay the parks out in their order: industrial parks and bases on terraces, ecological parks by the river.

    Works for any number of parks; long names wrap onto up to three lines.
    """
    columns = max(1, columns)
    width = 2 * MARGIN + columns * cell_width + (columns - 1) * COLUMN_GAP
    plots = [park for park in parks if park.kind != Park.Kind.ECOLOGICAL_PARK]
    bands = [park for park in parks if park.kind == Park.Kind.ECOLOGICAL_PARK]
    shapes: list[ParkShape] = []
    terraces: list[str] = []
    bottom = float(CANAL_HEIGHT)  # the lowest edge drawn so far

    most_lines = max((_lines_needed(park.name, cell_width) for park in plots), default=1)
    plot_height = max(MIN_PLOT_HEIGHT, 2 * LABEL_PADDING_Y + most_lines * LABEL_LINE)
    y = float(CANAL_HEIGHT)
    for index, row in enumerate(_rows(plots, columns)):
        if index:
            # A terrace edge between rows, like the steps cut into the Taihang slopes.
            terraces.append(_wave(MARGIN, width - MARGIN, y - ROW_GAP / 2, 3, columns * 2))
        row_width = len(row) * cell_width + (len(row) - 1) * COLUMN_GAP
        x = (width - row_width) / 2  # a short last row sits in the middle
        for park in row:
            shapes.append(
                ParkShape(
                    park=park,
                    x=x,
                    y=y,
                    width=cell_width,
                    height=plot_height,
                    lines=_label(park.name, x, y, cell_width, plot_height),
                    is_band=False,
                    fill=PLOT_FILL,
                    stroke=PLOT_STROKE,
                )
            )
            x += cell_width + COLUMN_GAP
        bottom = y + plot_height
        y = bottom + ROW_GAP

    # Ecological parks run along the river below the terraces, each row of them shared out across the width.
    y = bottom + (RIVER_GAP if plots else ROW_GAP)
    for row in _rows(bands, columns):
        band_width = (width - 2 * MARGIN - (len(row) - 1) * COLUMN_GAP) / len(row)
        most_lines = max(_lines_needed(park.name, band_width) for park in row)
        band_height = max(MIN_PLOT_HEIGHT, 2 * LABEL_PADDING_Y + most_lines * LABEL_LINE) + WAVE_ROOM
        x = float(MARGIN)
        for park in row:
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
                    wave=_wave(x + 18, x + band_width - 18, y + band_height - 12, 3, max(2, round(band_width / 70))),
                )
            )
            x += band_width + COLUMN_GAP
        bottom = y + band_height
        y = bottom + ROW_GAP

    return ZoneMap(
        width=width,
        height=round(bottom + MARGIN, 2),
        shapes=tuple(shapes),
        canal=_wave(0, width, CANAL_HEIGHT - 22, 6, columns * 3),
        canal_label=TextLine(MARGIN, 22, _("Hongqi Canal")),
        terraces=tuple(terraces),
        variant=variant,
    )


def zone_maps(parks: Sequence[Park], columns: int = 3) -> list[ZoneMap]:
    """The map as laid out for wide screens and, with more than one column, again in one column for phones."""
    maps = [zone_map(parks, columns)]
    if columns > 1:
        maps.append(zone_map(parks, 1, NARROW_CELL_WIDTH, variant="narrow"))
    return maps
