"""Charts and the zone map, drawn as inline SVG on the server."""

from django import template

from ..charts import plan_chart as build_plan_chart
from ..zone_map import zone_maps

register = template.Library()


@register.inclusion_tag("includes/_bar_chart.html")
def plan_chart(targets, id_prefix: str = "plan-chart") -> dict:
    """``{% plan_chart targets %}``: the plan targets that have a reported figure, as bars beside it, with a data table.

    Give a different id_prefix when the chart appears twice on one page.
    """
    return {"chart": build_plan_chart(targets), "id_prefix": id_prefix}


@register.inclusion_tag("includes/_zone_map.html")
def zone_map(parks, columns: int = 3, id_prefix: str = "zone-map") -> dict:
    """``{% zone_map parks %}``: a schematic map of the zone, each park a link to its page.

    Drawn in ``columns`` columns; on screens too narrow to show it at full size, a one-column drawing takes its place.
    """
    return {"maps": zone_maps(list(parks), columns=columns), "id_prefix": id_prefix}
