"""Charts and the zone map: shapes drawn as inline SVG on the server, words laid out by the browser."""

from django import template

from ..charts import plan_chart as build_plan_chart
from ..zone_map import zone_map as build_zone_map

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

    Up to ``columns`` parks to a row (at most four); on a narrow screen, or with large text, one to a row.
    """
    return {"map": build_zone_map(list(parks), columns=columns), "id_prefix": id_prefix}
