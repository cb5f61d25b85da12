"""The plan chart and the zone map, rendered as a reader gets them, from the zone's real content."""

from itertools import combinations
from xml.etree import ElementTree

import pytest
from django.template import Context, Template
from django.utils import translation

from promotion.charts import plan_chart, text_width, wrap_text
from promotion.models import Park, PlanTarget
from promotion.zone_map import zone_map, zone_maps

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
CHARTED = ["Main business income", "Total industrial output value", "Actual use of foreign capital"]


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


def groups(figure: ElementTree.Element) -> list[ElementTree.Element]:
    return figure.findall(f".//{SVG}g[@class='plan-chart-group']")


def bars(group: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {rect.get("class").split()[-1]: rect for rect in group.iter(f"{SVG}rect")}


def values(group: ElementTree.Element) -> list[str]:
    return [text_of(text) for text in group.iter(f"{SVG}text") if text.get("class") == "plan-chart-value"]


def test_one_group_for_each_target_with_a_reported_figure():
    drawn = groups(chart_figure())

    assert len(drawn) == 3
    labels = [text_of(group.find(f"{SVG}text[@class='plan-chart-label']")) for group in drawn]
    assert labels == CHARTED


def test_the_target_bar_is_longer_than_the_reported_one():
    for group in groups(chart_figure()):
        drawn = bars(group)
        assert float(drawn["plan-chart-bar-target"].get("width")) > float(drawn["plan-chart-bar-reported"].get("width"))


def test_each_indicator_has_its_own_scale():
    chart = plan_chart(targets())

    assert [group.target.fraction for group in chart.groups] == [1.0, 1.0, 1.0]
    assert [round(group.reported.fraction, 4) for group in chart.groups] == [0.5083, 0.6, 0.15]


def test_values_are_written_at_the_end_of_the_bars():
    drawn = groups(chart_figure())

    assert [values(group) for group in drawn] == [
        ["61 billion yuan", "at least 120 billion yuan"],
        ["90 billion yuan", "150 billion yuan"],
        ["150 million US dollars", "1 billion US dollars"],
    ]
    for group in drawn:
        ends = [float(rect.get("x")) + float(rect.get("width")) for rect in group.iter(f"{SVG}rect")]
        starts = [float(text.get("x")) for text in group.iter(f"{SVG}text") if text.get("class") == "plan-chart-value"]
        assert all(start > end for start, end in zip(starts, ends, strict=True))


def test_bars_say_when_the_figure_was_reported():
    captions = [
        text_of(text) for text in chart_figure().iter(f"{SVG}text") if text.get("class") == "plan-chart-caption"
    ]

    assert captions[0] == "Reported (2015)"
    assert captions[1] == "Target (end of the 13th Five-Year Plan)"
    assert captions[4] == "Reported (Cumulative, in recent years)"


def test_the_svg_is_an_accessible_image():
    svg = chart_figure().find(f"{SVG}svg")

    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    assert title.get("id") == svg.get("aria-labelledby")
    assert "13th Five-Year Plan" in title.text
    desc = svg.find(f"{SVG}desc")
    assert desc.get("id") == svg.get("aria-describedby")
    assert "Main business income: 61 billion yuan reported (2015); target at least 120 billion yuan." in desc.text


def test_the_svg_scales_with_the_page():
    svg = chart_figure().find(f"{SVG}svg")

    assert svg.get("width") == "100%"
    assert svg.get("height") is None
    assert len(svg.get("viewBox").split()) == 4


def test_text_is_at_least_14_units_and_dark_enough():
    for text in chart_figure().iter(f"{SVG}text"):
        assert float(text.get("font-size")) >= 14
        assert text.get("fill") in {"#1f2a33", "#4a5761", "#0b6e69"}  # each 5.7:1 or more on #faf7f2


def test_bars_are_canal_for_the_target_and_slate_for_the_reported_figure():
    for group in groups(chart_figure()):
        drawn = bars(group)
        assert drawn["plan-chart-bar-target"].get("fill") == "#0b6e69"
        assert drawn["plan-chart-bar-reported"].get("fill") == "#4a5761"


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

    first = groups(parse(html))[0]
    assert values(first) == ["610亿元", "突破1200亿元"]
    assert "1200亿元" in html.split("<table", 1)[1]


def test_two_charts_on_a_page_keep_their_ids_apart():
    html = render("{% plan_chart targets %}{% plan_chart targets id_prefix='again' %}", targets=targets())

    assert html.count('id="plan-chart-title"') == 1
    assert html.count('id="again-title"') == 1


def test_nothing_is_drawn_without_a_target_to_chart():
    assert render("{% plan_chart targets %}", targets=targets().filter(baseline=None)).strip() == ""


def map_figure(parks) -> ElementTree.Element:
    return parse(render("{% zone_map parks %}", parks=parks))


def drawings(figure: ElementTree.Element) -> list[ElementTree.Element]:
    return figure.findall(f"{SVG}svg")


def links(svg: ElementTree.Element) -> list[ElementTree.Element]:
    return svg.findall(f"{SVG}a")


def test_one_link_per_park_to_its_page_labelled_with_its_name():
    parks = list(Park.objects.all())

    for svg in drawings(map_figure(parks)):
        drawn = links(svg)
        assert [link.get("href") for link in drawn] == [park.get_absolute_url() for park in parks]
        for link, park in zip(drawn, parks, strict=True):
            assert link.find(f"{SVG}title").text == park.name
            label = text_of(link.find(f"{SVG}text"))
            assert label == park.name
            assert link.find(f"{SVG}rect") is not None


def test_the_links_point_at_real_park_pages(client):
    figure = map_figure(Park.objects.all())

    for link in links(drawings(figure)[0]):
        assert client.get(link.get("href")).status_code == 200


def test_the_map_is_a_labelled_group_with_a_visible_focus_style():
    wide = drawings(map_figure(Park.objects.all()))[0]

    assert wide.get("role") == "group"
    assert "Schematic map" in wide.get("aria-label")
    style = wide.find(f"{SVG}style").text
    assert ".zone-map-svg a:focus-visible rect.zone-map-shape { stroke: #b3121b; stroke-width: 4; }" in style
    for rect in wide.iter(f"{SVG}rect"):
        # Drawn by presentation attributes, so it still looks right if a CSP blocks the <style>.
        assert rect.get("fill") and rect.get("stroke")


def test_the_caption_says_it_is_a_schematic_not_to_scale():
    caption = text_of(map_figure(Park.objects.all()).find("figcaption"))

    assert "schematic diagram, not a survey map" in caption
    assert "not shown to scale" in caption


def test_the_huan_river_park_is_a_green_band_below_the_terraces():
    wide = zone_map(list(Park.objects.all()), columns=3)
    river = next(shape for shape in wide.shapes if shape.park.slug == "huan-river-park")

    assert river.is_band
    assert river.width == wide.width - 2 * river.x
    assert all(shape.bottom < river.y for shape in wide.shapes if shape is not river)


def test_phones_get_a_one_column_drawing_hidden_by_default():
    wide, narrow = drawings(map_figure(Park.objects.all()))

    assert wide.get("display") is None
    assert narrow.get("display") == "none"
    assert "@media (max-width:" in wide.find(f"{SVG}style").text
    assert len({shape.x for shape in zone_maps(list(Park.objects.all()))[1].shapes}) == 1


def test_each_drawing_scales_and_keeps_its_text_legible():
    for svg in drawings(map_figure(Park.objects.all())):
        assert svg.get("width") == "100%"
        assert len(svg.get("viewBox").split()) == 4
        assert all(float(text.get("font-size")) >= 14 for text in svg.iter(f"{SVG}text"))


def test_nothing_is_drawn_without_parks():
    assert render("{% zone_map parks %}", parks=[]).strip() == ""


def synthetic_parks(count: int, ecological: int = 0) -> list[Park]:
    parks = [Park(name=f"Synthetic Industrial Park Number {i}", slug=f"synthetic-{i}") for i in range(count)]
    parks += [
        Park(name=f"Riverside Ecological Park {i}", slug=f"river-{i}", kind=Park.Kind.ECOLOGICAL_PARK)
        for i in range(ecological)
    ]
    return parks


def overlap(a, b) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


@pytest.mark.parametrize(("count", "ecological"), [(1, 0), (15, 0), (0, 1), (1, 1), (10, 1), (15, 4)])
@pytest.mark.parametrize("columns", [1, 2, 3])
def test_any_number_of_parks_fits_without_overlapping(count, ecological, columns):
    for drawn in zone_maps(synthetic_parks(count, ecological), columns=columns):
        assert len(drawn.shapes) == count + ecological
        for a, b in combinations(drawn.shapes, 2):
            assert not overlap(a, b), (a.park.slug, b.park.slug)
        for shape in drawn.shapes:
            assert 0 <= shape.x and shape.right <= drawn.width
            assert 0 <= shape.y and shape.bottom <= drawn.height
            for line in shape.lines:
                half = text_width(line.text, 15) / 2
                assert shape.x <= line.x - half and line.x + half <= shape.right
                assert shape.y + 15 <= line.y <= shape.bottom - 4


def test_fifteen_synthetic_parks_render_as_fifteen_links():
    parks = synthetic_parks(15)
    wide = drawings(map_figure(parks))[0]

    assert [link.get("href") for link in links(wide)] == [f"/en/parks/synthetic-{i}/" for i in range(15)]


def test_one_park_renders_alone():
    wide = drawings(map_figure(synthetic_parks(1)))[0]

    assert [text_of(link.find(f"{SVG}text")) for link in links(wide)] == ["Synthetic Industrial Park Number 0"]


def test_long_names_wrap_onto_at_most_three_lines():
    park = Park(name="Tsinghua–Hongqi Canal New Material Industrialization Base", slug="tsinghua")
    endless = Park(name=" ".join(["Industrialization"] * 12), slug="endless")
    shapes = zone_map([park, endless], columns=2).shapes

    assert [line.text for line in shapes[0].lines] == [
        "Tsinghua–Hongqi Canal",
        "New Material",
        "Industrialization Base",
    ]
    assert len(shapes[1].lines) == 3
    assert shapes[1].lines[-1].text.endswith("…")


def test_chinese_names_break_between_characters():
    lines = wrap_text("红旗渠经济技术开发区煤机装备制造产业园", 190, 15)

    assert len(lines) == 2
    assert "".join(lines) == "红旗渠经济技术开发区煤机装备制造产业园"
    assert all(text_width(line, 15) <= 190 for line in lines)
    shape = zone_map([Park(name="红旗渠经济技术开发区煤机装备制造产业园", slug="coal")]).shapes[0]
    assert len(shape.lines) == 2
    assert not any(line.space_after for line in shape.lines)  # no space creeps between the characters
