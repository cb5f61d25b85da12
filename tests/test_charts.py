"""The plan chart, the month chart and the zone map, rendered as a reader gets them, from the zone's real content.

The server draws the shapes; the words are HTML text that the browser lays out (tests/test_browser_csp.py
checks them at 320 px and at 200 % text).
"""

from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from promotion.charts import plan_chart
from promotion.models import Park, PlanTarget
from promotion.service_record import Figures, Month, month_chart
from promotion.zone_map import MAX_COLUMNS, zone_map

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
CHARTED = ["Main business income", "Total industrial output value", "Actual use of foreign capital"]
STYLESHEET = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text(encoding="utf-8")


def render(source: str, **context) -> str:
    return Template("{% load charts %}" + source).render(Context(context))


def parse(html: str) -> ElementTree.Element:
    """The rendered figure, read as XML: it must be well-formed for the SVG in it to be."""
    return ElementTree.fromstring(html.strip())


def targets():
    return PlanTarget.objects.select_related("baseline")


def chart_figure() -> ElementTree.Element:
    return parse(render("{% plan_chart targets %}", targets=targets()))


def text_of(element: ElementTree.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def by_class(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [e for e in element.iter() if name in (e.get("class") or "").split()]


def groups(figure: ElementTree.Element) -> list[ElementTree.Element]:
    return by_class(figure, "bar-chart-group")


def bars(group: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {e.get("class").split()[-1].removeprefix("bar-chart-bar-"): e for e in by_class(group, "bar-chart-bar")}


def length(bar: ElementTree.Element) -> float:
    return float(bar.find(f".//{SVG}svg").get("width").removesuffix("%"))


def words(bar: ElementTree.Element) -> tuple[str, str]:
    caption = by_class(bar, "bar-chart-caption")
    return (text_of(caption[0]) if caption else "", text_of(by_class(bar, "bar-chart-value")[0]))


def assert_no_inline_style(html: str) -> None:
    assert "<style" not in html and "style=" not in html


def test_one_group_for_each_target_with_a_reported_figure():
    drawn = groups(chart_figure())

    assert [text_of(by_class(group, "bar-chart-label")[0]) for group in drawn] == CHARTED


def test_the_target_bar_is_longer_than_the_reported_one():
    for group in groups(chart_figure()):
        drawn = bars(group)
        assert length(drawn["target"]) > length(drawn["reported"])


def test_each_indicator_has_its_own_scale():
    chart = plan_chart(targets())

    assert [[bar.fraction for bar in group.bars][1] for group in chart.groups] == [1.0, 1.0, 1.0]
    assert [round(group.bars[0].fraction, 4) for group in chart.groups] == [0.5083, 0.6, 0.15]
    assert [length(bars(group)["reported"]) for group in groups(chart_figure())] == [50.83, 60.0, 15.0]
    assert {length(bars(group)["target"]) for group in groups(chart_figure())} == {100.0}


def test_each_bar_says_what_it_shows_and_its_value_as_text():
    drawn = [{kind: words(bar) for kind, bar in bars(group).items()} for group in groups(chart_figure())]

    assert drawn == [
        {
            "reported": ("Reported (2015)", "61 billion yuan"),
            "target": ("Target (end of the 13th Five-Year Plan)", "at least 120 billion yuan"),
        },
        {
            "reported": ("Reported (2015)", "90 billion yuan"),
            "target": ("Target (end of the 13th Five-Year Plan)", "150 billion yuan"),
        },
        {
            "reported": ("Reported (Cumulative, in recent years)", "150 million US dollars"),
            "target": ("Target (end of the 13th Five-Year Plan)", "1 billion US dollars"),
        },
    ]


def test_the_words_are_html_left_whole_for_the_browser_to_wrap():
    html = render("{% plan_chart targets %}", targets=targets())
    figure = parse(html)

    # No SVG text, no server-made lines: the shapes are only the bars, hidden from screen readers.
    assert not list(figure.iter(f"{SVG}text")) and "tspan" not in html
    for svg in figure.iter(f"{SVG}svg"):
        assert svg.get("aria-hidden") == "true"
        assert [child.tag for child in svg] == [f"{SVG}rect"]
    long = "Output value of the strategic emerging industries of the zone, as a share of its whole industrial output"
    target = targets().get(label="Main business income")
    target.label = long
    labels = by_class(parse(render("{% plan_chart targets %}", targets=[target])), "bar-chart-label")
    assert [label.text for label in labels] == [long]
    assert_no_inline_style(html)


def test_the_chart_is_a_figure_named_by_its_caption():
    figure = chart_figure()

    assert figure.tag == "figure"
    caption = figure.find("figcaption")
    assert caption.get("id") == "plan-chart-title"
    assert "13th Five-Year Plan" in caption.text
    assert "visually-hidden" in caption.get("class")


def test_bars_are_canal_for_the_target_and_slate_for_the_reported_figure():
    for group in groups(chart_figure()):
        drawn = bars(group)
        assert drawn["target"].find(f".//{SVG}rect").get("fill") == "#0b6e69"
        assert drawn["reported"].find(f".//{SVG}rect").get("fill") == "#4a5761"


def test_the_numbers_are_also_a_table_under_details():
    details = chart_figure().find("details")

    assert text_of(details.find("summary")) == "Data table"
    table = details.find("table")
    assert "13th Five-Year Plan" in text_of(table.find("caption"))
    assert [th.get("scope") for th in table.find("thead").iter("th")] == ["col"] * 4
    rows = table.find("tbody").findall("tr")
    assert [(row.find("th").get("scope"), text_of(row.find("th"))) for row in rows] == [
        ("row", name) for name in CHARTED
    ]
    assert [[text_of(td) for td in row.findall("td")] for row in rows] == [
        ["61 billion yuan", "2015", "at least 120 billion yuan"],
        ["90 billion yuan", "2015", "150 billion yuan"],
        ["150 million US dollars", "Cumulative, in recent years", "1 billion US dollars"],
    ]


def test_values_are_written_the_chinese_way_in_chinese():
    with translation.override("zh-hans"):
        html = render("{% plan_chart targets %}", targets=targets())

    first = bars(groups(parse(html))[0])
    assert words(first["reported"]) == ("实际完成（2015年）", "610亿元")
    assert words(first["target"])[1] == "突破1200亿元"
    assert "1200亿元" in html.split("<table", 1)[1]


def test_two_charts_on_a_page_keep_their_ids_apart():
    html = render("{% plan_chart targets %}{% plan_chart targets id_prefix='again' %}", targets=targets())

    assert html.count('id="plan-chart-title"') == 1
    assert html.count('id="again-title"') == 1


def test_nothing_is_drawn_without_a_target_to_chart():
    assert render("{% plan_chart targets %}", targets=targets().filter(baseline=None)).strip() == ""


# --- The month chart of the service record -----------------------------------------------------


def months(*counts: tuple[int, int]) -> list[Month]:
    from datetime import date

    return [
        Month(date(2026, number, 1), Figures(received, answered, (), 0, 0, ()))
        for number, (received, answered) in enumerate(counts, start=1)
    ]


def month_figure(chart) -> ElementTree.Element:
    return parse(render_to_string("includes/_month_chart.html", {"chart": chart, "id_prefix": "service-chart"}))


def test_the_month_chart_draws_every_month_on_one_scale():
    figure = month_figure(month_chart(months((10, 8), (5, 5), (0, 0))))

    drawn = [bars(group) for group in groups(figure)]
    assert [text_of(by_class(group, "bar-chart-label")[0]) for group in groups(figure)] == [
        "January 2026",
        "February 2026",
        "March 2026",
    ]
    # The busiest month's bar leaves a quarter of the row for its number.
    assert [(length(b["received"]), length(b["answered"])) for b in drawn] == [(75.0, 60.0), (37.5, 37.5), (0.0, 0.0)]


def test_the_first_month_says_what_the_bars_count_and_a_screen_reader_hears_it_every_month():
    figure = month_figure(month_chart(months((10, 8), (5, 3))))

    first, second = (bars(group) for group in groups(figure))
    assert text_of(first["received"]) == "10 received" and text_of(first["answered"]) == "8 answered"
    value = by_class(second["received"], "bar-chart-value")[0]
    assert value.text == "5" and value.get("aria-hidden") == "true"
    assert text_of(by_class(second["received"], "visually-hidden")[0]) == "5 received"
    assert text_of(by_class(second["answered"], "visually-hidden")[0]) == "3 answered"
    assert figure.get("aria-labelledby") == "service-chart-title"
    assert "last 12 months" in text_of(figure.find(".//*[@id='service-chart-title']"))


def test_the_month_chart_speaks_chinese():
    with translation.override("zh-hans"):
        figure = month_figure(month_chart(months((10, 8), (5, 3))))

    first, second = (bars(group) for group in groups(figure))
    assert text_of(first["received"]) == "收到10件"
    assert text_of(by_class(second["answered"], "visually-hidden")[0]) == "答复3件"
    assert text_of(by_class(groups(figure)[0], "bar-chart-label")[0]) == "2026年1月"


# --- The zone map ------------------------------------------------------------------------------


def map_figure(parks, columns: int = 3) -> ElementTree.Element:
    return parse(render("{% zone_map parks columns %}", parks=parks, columns=columns))


def links(figure: ElementTree.Element) -> list[ElementTree.Element]:
    return list(figure.iter("a"))


def rows(figure: ElementTree.Element) -> list[ElementTree.Element]:
    return by_class(figure, "zone-map-row")


def test_one_link_per_park_to_its_page_named_in_full():
    parks = list(Park.objects.all())
    figure = map_figure(parks)

    drawn = links(figure)
    assert [link.get("href") for link in drawn] == [park.get_absolute_url() for park in parks]
    assert [text_of(link) for link in drawn] == [park.name for park in parks]


def test_the_links_point_at_real_park_pages(client):
    for link in links(map_figure(Park.objects.all())):
        assert client.get(link.get("href")).status_code == 200


def test_the_map_is_a_labelled_group_with_its_styles_in_the_stylesheet():
    html = render("{% zone_map parks %}", parks=Park.objects.all())
    drawing = by_class(parse(html), "zone-map-drawing")[0]

    assert drawing.get("role") == "group"
    assert "Schematic map" in drawing.get("aria-label")
    assert_no_inline_style(html)
    assert ".zone-map-park:focus-visible { outline: 3px solid var(--zone-red);" in STYLESHEET
    for svg in parse(html).iter(f"{SVG}svg"):
        assert svg.get("aria-hidden") == "true"
        assert not list(svg.iter(f"{SVG}text"))


def test_the_caption_says_it_is_a_schematic_not_to_scale():
    caption = text_of(map_figure(Park.objects.all()).find("figcaption"))

    assert "schematic diagram, not a survey map" in caption
    assert "not shown to scale" in caption


def test_the_huan_river_park_is_a_green_band_below_the_terraces():
    drawn = rows(map_figure(Park.objects.all()))

    assert [text_of(link) for link in links(drawn[-1])] == ["Huan River Ecological Leisure Park"]
    assert "zone-map-river" in drawn[-1].get("class")
    assert all("zone-map-river" not in row.get("class") for row in drawn[:-1])


def test_terrace_edges_lie_between_the_rows_of_plots_only():
    figure = map_figure(Park.objects.all())
    drawing = by_class(figure, "zone-map-drawing")[0]

    sequence = [child.get("class").split()[-1] for child in drawing if child.tag in ("ul", f"{SVG}svg")]
    assert sequence == ["zone-map-row", "zone-map-terrace"] * 2 + ["zone-map-row", "zone-map-river"]


def synthetic_parks(count: int, ecological: int = 0) -> list[Park]:
    parks = [Park(name=f"Synthetic Industrial Park Number {i}", slug=f"synthetic-{i}") for i in range(count)]
    parks += [
        Park(name=f"Riverside Ecological Park {i}", slug=f"river-{i}", kind=Park.Kind.ECOLOGICAL_PARK)
        for i in range(ecological)
    ]
    return parks


@pytest.mark.parametrize(("count", "ecological"), [(1, 0), (15, 0), (0, 1), (1, 1), (10, 1), (15, 4)])
@pytest.mark.parametrize("columns", [1, 2, 3, 4])
def test_any_number_of_parks_is_drawn_once_each_in_rows_of_the_columns_asked(count, ecological, columns):
    parks = synthetic_parks(count, ecological)
    drawn = zone_map(parks, columns=columns)

    assert [park for row in drawn.rows for park in row.parks] == parks
    assert all(1 <= len(row.parks) <= columns for row in drawn.rows)
    assert [row.is_river for row in drawn.rows] == sorted(row.is_river for row in drawn.rows)
    assert f".zone-map-columns-{columns} {{ --zone-map-columns: {columns}; }}" in STYLESHEET


def test_the_columns_stay_within_what_the_stylesheet_lays_out():
    assert zone_map(synthetic_parks(12), columns=9).columns == MAX_COLUMNS
    assert zone_map(synthetic_parks(12), columns=0).columns == 1


def test_fifteen_synthetic_parks_render_as_fifteen_links():
    figure = map_figure(synthetic_parks(15))

    assert [link.get("href") for link in links(figure)] == [f"/en/parks/synthetic-{i}/" for i in range(15)]
    assert [len(links(row)) for row in rows(figure)] == [3, 3, 3, 3, 3]


def test_one_park_renders_alone():
    assert [text_of(link) for link in links(map_figure(synthetic_parks(1)))] == ["Synthetic Industrial Park Number 0"]


def test_long_names_are_written_whole():
    long = "Tsinghua–Hongqi Canal New Material Industrialization Base"
    endless = " ".join(["Industrialization"] * 12)
    chinese = "红旗渠经济技术开发区煤机装备制造产业园"
    parks = [Park(name=name, slug=f"park-{i}") for i, name in enumerate([long, endless, chinese])]

    assert [text_of(link) for link in links(map_figure(parks))] == [long, endless, chinese]


def test_nothing_is_drawn_without_parks():
    assert render("{% zone_map parks %}", parks=[]).strip() == ""
