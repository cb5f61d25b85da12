"""A schematic map of the zone: the parks as plots on terraces below the canal.

It is a diagram, not a survey map: the arrangement follows the parks' order, not their places on
the ground. Here the parks are set out in rows and the water and the terrace edges are drawn, as
SVG path data; ``templates/includes/_zone_map.html`` writes each park as a link whose name the
browser wraps, and the stylesheet sizes the plots and gives way to one column on a narrow screen.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from .models import Park

MAX_COLUMNS = 4  # the stylesheet has widths for one to four plots to a row
# The water and the terrace edges are drawn in these user units and stretched to the map's width.
WIDTH = 600
CANAL_HEIGHT = 40
EDGE_HEIGHT = 12
RIVER_WAVES = 4


@dataclass(frozen=True)
class Row:
    """Parks side by side: industrial parks and bases on a terrace, or ecological parks along the river."""

    parks: tuple[Park, ...]
    is_river: bool = False
    terrace_above: bool = False  # the edge of a terrace between it and the row above


@dataclass(frozen=True)
class ZoneMap:
    columns: int
    rows: tuple[Row, ...]
    canal: str
    terrace: str
    river: str
    width: int = WIDTH
    canal_height: int = CANAL_HEIGHT
    edge_height: int = EDGE_HEIGHT


def _wave(x0: float, x1: float, y: float, amplitude: float, waves: int) -> str:
    """A smooth wavy line from x0 to x1 around height y, as SVG path data."""
    step = (x1 - x0) / (2 * waves)
    path = f"M{x0:g} {y:g} Q{x0 + step / 2:g} {y - amplitude:g} {x0 + step:g} {y:g}"
    for i in range(2, 2 * waves + 1):
        path += f" T{x0 + i * step:g} {y:g}"
    return path


def _rows(parks: list[Park], columns: int) -> list[tuple[Park, ...]]:
    return [tuple(parks[i : i + columns]) for i in range(0, len(parks), columns)]


def zone_map(parks: Sequence[Park], columns: int = 3) -> ZoneMap:
    """Lay the parks out in their order: industrial parks and bases on terraces, `columns` to a row,
    then the ecological parks along the river, the same number to a row, sharing its width."""
    columns = min(max(1, columns), MAX_COLUMNS)
    plots = [park for park in parks if park.kind != Park.Kind.ECOLOGICAL_PARK]
    bands = [park for park in parks if park.kind == Park.Kind.ECOLOGICAL_PARK]
    rows = [Row(row, terrace_above=index > 0) for index, row in enumerate(_rows(plots, columns))]
    rows += [Row(row, is_river=True) for row in _rows(bands, columns)]
    return ZoneMap(
        columns=columns,
        rows=tuple(rows),
        canal=_wave(0, WIDTH, CANAL_HEIGHT / 2, 6, columns * 3),
        terrace=_wave(0, WIDTH, EDGE_HEIGHT / 2, 3, columns * 2),
        river=_wave(0, WIDTH, EDGE_HEIGHT / 2, 3, RIVER_WAVES),
    )
