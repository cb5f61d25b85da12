"""The site search answers from an index each process keeps in memory: the same results as the plain
database query (every word, in any case, in at least one searched field of the page's language; the same
groups, order and limits), an edit seen by the next search, no query once the index is built, and a friendly
page whatever is typed."""

import re
from http import HTTPStatus

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from promotion import search
from promotion.caching import bump_content_version
from promotion.models import Enterprise, Highlight, Honour, Milestone, Park
from tests.factories import (
    make_enterprise,
    make_highlight,
    make_honour,
    make_industry,
    make_milestone,
    make_park,
    make_policy,
    make_project,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "zh-hans"]
QUERIES = [
    "steel",
    "STEEL",
    "Steel Casting",
    "casting steel",
    "park",
    "PARK test",
    "valve",
    "valve shanghai",
    "the zone",
    "8:2",
    "e",
    "a b c",
    "100%",
    "under_score",
    "back\\slash",
    "[[figure",
    "zzzz-nothing",
    "钢",
    "钢铁",
    "铸造 阀门",
    "铸造\u3000阀门",
    "园区",
    "税收",
    "铝",
    "开发区 企业",
    "valve 阀门",
]


def plain_query(query: str) -> list[dict]:
    """The search as the database would answer it, with `icontains` over the translated fields."""
    words = query[: search.MAX_QUERY_LENGTH].split()
    if not words:
        return []

    def matching(fields):
        condition = Q()
        for word in words:
            any_field = Q()
            for field in fields:
                any_field |= Q(**{f"{field}__icontains": word})
            condition &= any_field
        return condition

    groups = []
    for model, fields, title_field, label in search.SEARCHABLE:
        found = model.objects.filter(matching(fields))[: search.RESULTS_PER_KIND]
        results = [(getattr(obj, title_field), obj.get_absolute_url(), obj.summary) for obj in found]
        if results:
            groups.append((str(label), results))
    about = reverse("promotion:about")
    environment = {Highlight.Topic.INFRASTRUCTURE, Highlight.Topic.INFORMATISATION, Highlight.Topic.URBANISATION}
    pages = [
        (f"{m.year}: {m.title}", about + "#history-title", m.description)
        for m in Milestone.objects.filter(matching(["title", "description"]))
    ]
    pages += [
        (h.title, about + "#honours-title", h.years) for h in Honour.objects.filter(matching(["title", "description"]))
    ]
    pages += [
        (
            h.title,
            reverse("promotion:environment" if h.topic in environment else "promotion:innovation")
            + f"#topic-{h.topic}",
            h.body,
        )
        for h in Highlight.objects.filter(matching(["title", "body"]))
    ]
    if pages:
        groups.append((gettext("Pages"), pages[: search.RESULTS_PER_KIND]))
    return groups


def indexed(query: str) -> list[tuple]:
    return [(str(g["label"]), [(r.title, r.url, r.summary) for r in g["results"]]) for g in search.search(query)]


def titles(query: str) -> list[str]:
    return [title for _, results in indexed(query) for title, *_ in results]


@pytest.fixture
def content():
    """Objects that the queries find in one language, in both, across fields, more than a kind shows, and
    with no Chinese copy of a field (the page shows the English one; a Chinese search does not look in it)."""
    casting = make_industry("Steel Casting", name_zh_hans="钢铁铸造", summary_zh_hans="钢铁铸造产业。")
    park = make_park("Test Valley Park", name_zh_hans="测试谷园区", industries=[casting])
    for n in range(25):
        make_enterprise(
            f"Valve Works {n:02d}",
            name_zh_hans=f"阀门厂{n:02d}",
            summary=f"Steel valves from Shanghai, plant {n}.",
            summary_zh_hans=f"上海的钢制阀门，{n}号厂。",
            industry=casting,
            park=park,
            position=n % 3,
        )
    make_enterprise("Under_score 100% Ltd.", summary="Back\\slash and [[figure: no such figure]] in prose.")
    make_enterprise(
        "English Name Castings", name_zh_hans="", summary="Named in English.", summary_zh_hans="只有英文名称"
    )
    make_policy("Casting Steel Grant", benefits="Steel buyers get a grant.", benefits_zh_hans="钢铁买家可获补助。")
    make_project("Steel Valve Plant", capacity="100,000 valves", capacity_zh_hans="年产阀门10万只")
    make_milestone("Steel valve plant opened", description="A casting milestone.", description_zh_hans="铸造阀门")
    make_honour("Steel Town", description="For casting.", description_zh_hans="铸造之乡")
    make_highlight(
        "Valve testing centre", topic=Highlight.Topic.INFRASTRUCTURE, body="Casting labs.", body_zh_hans="铸造"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_index_finds_what_the_database_query_finds(content, language):
    with translation.override(language):
        for query in QUERIES:
            assert indexed(query) == plain_query(query), query
        many = plain_query("valve" if language == "en" else "阀门")
        assert any(len(results) == search.RESULTS_PER_KIND for _, results in many)


def test_the_page_shows_the_index_results_in_each_language(client, content):
    for language, query, found in [("en", "valve shanghai", "Valve Works 00"), ("zh-hans", "上海 阀门", "阀门厂00")]:
        with translation.override(language):
            response = client.get(reverse("promotion:search"), {"q": query})
            enterprise = Enterprise.objects.get(slug="valve-works-00")
            assert response.status_code == HTTPStatus.OK
            assert f'<a href="{enterprise.get_absolute_url()}">{found}</a>' in response.content.decode()
            assert response.context["count"] == sum(len(g["results"]) for g in search.search(query))


def test_a_field_without_its_chinese_copy_shows_in_english_but_is_not_searched_in_chinese(content):
    with translation.override("zh-hans"):
        assert titles("英文名称") == ["English Name Castings"]
        assert titles("English Name") == []
    assert titles("English Name") == ["English Name Castings"]


def test_excerpts_write_key_figures_out_and_are_at_most_thirty_words(content):
    from promotion.models import KeyFigure

    figure = KeyFigure.objects.exclude(value=None).first()
    long = " ".join(f"word{n}" for n in range(40))
    make_enterprise("Numbered Prose Co.", summary=f"Sales of [[figure:{figure.slug}]] and {long}")
    [group] = search.search("numbered prose")
    [result] = group["results"]
    assert "[[" not in result.excerpt and result.excerpt.endswith(" …")
    assert len(result.excerpt.split()) == search.EXCERPT_WORDS + 1  # and the ellipsis


def test_words_match_in_any_case_in_every_alphabet(content):
    make_enterprise("École Émile Ltd.", summary="ΣΟΦΙΑ and straße.")
    for query in ["école", "ÉCOLE", "émile école", "σοφια", "STRAßE"]:
        assert [g["results"][0].title for g in search.search(query)] == ["École Émile Ltd."], query


def test_an_edit_shows_in_the_next_search(content):
    assert indexed("zinc") == []
    enterprise = make_enterprise("Zinc Foundry", summary="Castings.")
    assert titles("zinc") == ["Zinc Foundry"]

    enterprise.name_en = "Tin Foundry"
    enterprise.save()
    assert indexed("zinc") == []
    assert titles("tin foundry") == ["Tin Foundry"]

    enterprise.delete()
    assert indexed("tin foundry") == []


def test_a_change_another_worker_announces_shows_too(content):
    """Another process's save moves the shared content version; so does code that writes without signals."""
    assert indexed("cobalt") == []
    Park.objects.filter(slug="test-valley-park").update(name_en="Cobalt Valley Park")
    bump_content_version()
    assert titles("cobalt") == ["Cobalt Valley Park"]


def test_each_language_has_its_own_index(content):
    with translation.override("zh-hans"):
        assert indexed("阀门厂00")[0][1][0][1].startswith("/zh-hans/")
    assert indexed("Valve Works 00")[0][1][0][1].startswith("/en/")


def test_a_search_with_the_index_built_makes_no_query_of_its_own(client, content, django_assert_num_queries):
    path = reverse("promotion:search")
    client.get(path, {"q": "nothing at all"})  # builds the index
    with django_assert_num_queries(0):
        search.search("steel valve")
    with django_assert_num_queries(0):
        client.get(path, {"q": "steel valve"})


def test_a_rebuild_reads_each_table_once(content, django_assert_num_queries):
    bump_content_version()
    # The key figures, then one query for each kind of object, and for milestones, honours and highlights.
    with django_assert_num_queries(1 + len(search.SEARCHABLE) + 3):
        search.search("steel")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "\u3000",
        "x" * 5000,
        "steel " * 500,
        " ".join("abcdefghijklmnopqrstuvwxyz"),
        "%",
        "_",
        "\\",
        "'; DROP TABLE promotion_enterprise; --",
        '<script>alert("x")</script>',
        "a\x00b",
        "\ufffd",
        "😀 🏭",
        "İSTANBUL",
        "e\u0301",
        "שלום",
        "[[figure:main-business-income-2015]]",
    ],
)
def test_no_input_causes_an_error(client, content, query):
    response = client.get(reverse("promotion:search"), {"q": query})
    assert response.status_code == HTTPStatus.OK
    assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize("raw", ["q=%ED%A0%80", "q=%FF%FE", "q=%", "q=a&q=b", "q[]=steel", "q=%E2%80%AE"])
def test_no_query_string_causes_an_error(client, raw):
    assert client.get(f"{reverse('promotion:search')}?{raw}").status_code == HTTPStatus.OK


def test_nothing_found_says_so_kindly(client, content):
    for language, words in [("en", "Nothing matched."), ("zh-hans", "未找到匹配结果。")]:
        with translation.override(language):
            body = client.get(reverse("promotion:search"), {"q": "zzzz-nothing"}).content.decode()
        assert words in body, language


def test_the_search_form_is_named_by_the_page_heading(client):
    for language in LANGUAGES:
        with translation.override(language):
            body = client.get(reverse("promotion:search"), {"q": "steel"}).content.decode()
        form = re.search(r'<form[^>]*role="search"[^>]*aria-labelledby="([^"]+)"[^>]*>', body)
        assert form, language
        assert re.search(rf'<h1 id="{form.group(1)}">', body), language
