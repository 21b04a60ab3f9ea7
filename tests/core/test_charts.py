import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.utils import translation

from core.charts import (
    PALETTE,
    Series,
    axis_ticks,
    bar_chart,
    line_chart,
    stacked_bar_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart):
    return ET.fromstring(str(chart.svg))  # noqa: S314 - our own output


def pct(value: str) -> float:
    assert value.endswith("%")
    return float(value[:-1])


def bars(root):
    return [el for el in root.iter(f"{SVG}rect") if el.get("class") == "chart-bar"]


def test_horizontal_bar_lengths_are_proportional_to_the_values():
    chart = bar_chart([("EU", 63), ("US", 23), ("Other", 14)], title="Pledgers by region")
    widths = [pct(rect.get("width")) for rect in bars(parse(chart))]
    assert len(widths) == 3
    assert widths[0] / widths[1] == pytest.approx(63 / 23, rel=1e-3)
    assert widths[0] / widths[2] == pytest.approx(63 / 14, rel=1e-3)
    # the longest bar leaves room for its value on the right
    assert widths[0] < 100


def test_vertical_bar_heights_are_proportional_and_stand_on_one_baseline():
    chart = bar_chart([("2025", 10), ("2026", 40)], title="Pledges", orientation="vertical")
    first, second = bars(parse(chart))
    assert float(second.get("height")) == pytest.approx(4 * float(first.get("height")))
    bottom = [float(r.get("y")) + float(r.get("height")) for r in (first, second)]
    assert bottom[0] == pytest.approx(bottom[1])


def test_stacked_bar_segments_add_up_and_follow_each_other():
    chart = stacked_bar_chart(
        ["Company", "NGO"],
        [Series("Provider", [6, 1]), Series("Deployer", [2, 1])],
        title="AI role by type",
    )
    rects = bars(parse(chart))
    assert len(rects) == 4
    company_provider, company_deployer, ngo_provider, ngo_deployer = rects
    provider_width = pct(company_provider.get("width"))
    assert provider_width == pytest.approx(3 * pct(company_deployer.get("width")))
    assert pct(company_deployer.get("x")) == pytest.approx(pct(company_provider.get("width")))
    company_total = pct(company_provider.get("width")) + pct(company_deployer.get("width"))
    ngo_total = pct(ngo_provider.get("width")) + pct(ngo_deployer.get("width"))
    assert company_total == pytest.approx(4 * ngo_total)
    assert company_provider.get("fill") == PALETTE[0]
    assert company_deployer.get("fill") == PALETTE[1]
    assert chart.columns == ["Provider", "Deployer"]
    assert chart.rows == [("Company", ["6", "2"]), ("NGO", ["1", "1"])]


def test_vertical_stacked_columns_put_each_segment_on_the_previous():
    chart = stacked_bar_chart(
        ["Jan", "Feb"],
        [Series("Published", [3, 5]), Series("Submitted", [1, 0])],
        title="Pledges",
        orientation="vertical",
    )
    published_jan, submitted_jan, *_ = bars(parse(chart))
    assert float(submitted_jan.get("y")) + float(submitted_jan.get("height")) == pytest.approx(
        float(published_jan.get("y")), abs=0.02
    )


def test_line_chart_points_rise_with_the_values():
    chart = line_chart(
        ["2025-01", "2025-02", "2025-03"],
        [Series("Pledges", [0, 5, 10])],
        title="Pledges over time",
    )
    root = parse(chart)
    points = [el for el in root.iter(f"{SVG}circle") if el.get("class") == "chart-point"]
    ys = [float(p.get("cy")) for p in points]
    xs = [pct(p.get("cx")) for p in points]
    assert xs == sorted(xs)
    assert ys[0] > ys[1] > ys[2]  # SVG's y grows downwards
    assert ys[0] - ys[1] == pytest.approx(ys[1] - ys[2])
    lines = [el for el in root.iter(f"{SVG}line") if el.get("class") == "chart-line"]
    assert len(lines) == 2


def test_every_coordinate_and_size_is_non_negative():
    charts = [
        bar_chart([("a", 0), ("b", 3)], title="t"),
        bar_chart([("a", 0), ("b", 3)], title="t", orientation="vertical"),
        stacked_bar_chart(["a"], [Series("x", [0]), Series("y", [2])], title="t"),
        line_chart(["a", "b"], [Series("x", [0, 2]), Series("y", [1, 0])], title="t"),
    ]
    for chart in charts:
        for element in parse(chart).iter():
            for name in ("x", "y", "width", "height", "x1", "x2", "y1", "y2", "cx", "cy"):
                value = element.get(name)
                if value is not None:
                    assert float(value.rstrip("%")) >= 0, (name, value)


def test_negative_or_missing_values_are_refused():
    with pytest.raises(ValueError):
        bar_chart([("a", -1)], title="t")
    with pytest.raises(ValueError):
        line_chart(["a"], [Series("x", [float("nan")])], title="t")
    with pytest.raises(ValueError):
        stacked_bar_chart(["a", "b"], [Series("x", [1])], title="t")


def test_all_zero_values_draw_empty_bars_without_dividing_by_zero():
    chart = bar_chart([("a", 0), ("b", 0)], title="Nothing yet")
    assert [pct(r.get("width")) for r in bars(parse(chart))] == [0, 0]
    line = line_chart(["a", "b"], [Series("x", [0, 0])], title="t")
    assert parse(line) is not None


def test_empty_data_says_so_and_has_no_table():
    for chart in (
        bar_chart([], title="Pledgers"),
        stacked_bar_chart([], [], title="Pledgers"),
        line_chart([], [], title="Pledgers"),
    ):
        root = parse(chart)
        assert "No data yet." in "".join(root.itertext())
        assert not bars(root)
        assert chart.is_empty


def test_labels_and_titles_are_escaped():
    chart = bar_chart(
        [('<script>alert("x")</script> & Co', 2)],
        title="Sectors <b>",
        description="A & B",
    )
    svg = str(chart.svg)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "Sectors &lt;b&gt;" in svg
    root = parse(chart)  # still well-formed XML
    assert root.find(f"{SVG}title").text == "Sectors <b>"
    assert root.find(f"{SVG}desc").text == "A & B"


def test_svg_is_accessible_and_has_no_style_attribute_script_or_font():
    chart = line_chart(["a", "b"], [Series("x", [1, 2]), Series("y", [2, 1])], title="T")
    root = parse(chart)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    for element in root.iter():
        assert "style" not in element.attrib
        assert element.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject")
        assert "font-family" not in element.attrib
    # a legend names both series
    assert {"x", "y"} <= set(root.itertext())


def test_ids_are_unique_between_charts_on_one_page():
    first = parse(bar_chart([("a", 1)], title="t"))
    second = parse(bar_chart([("a", 1)], title="t"))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


def test_long_labels_are_shortened_on_the_drawing_but_kept_whole_in_the_tooltip_and_table():
    label = "A sector whose name is far too long to fit on one line of a phone screen at all"
    chart = bar_chart([(label, 1)], title="t")
    texts = list(parse(chart).itertext())
    assert any(text.endswith("…") for text in texts)
    assert label in texts
    assert chart.rows[0][0] == label


def test_many_periods_label_only_some_of_them_on_the_axis():
    labels = [f"2025-{month:02d}" for month in range(1, 13)] + ["2026-01", "2026-02"]
    chart = line_chart(labels, [Series("x", list(range(14)))], title="t")
    axis = [el for el in parse(chart).iter(f"{SVG}text") if el.get("class") == "chart-x-label"]
    assert 2 <= len(axis) <= 7
    assert axis[0].text == "2025-01"
    assert axis[-1].text == "2026-02"


def test_numbers_follow_the_active_language():
    with translation.override("de"):
        chart = bar_chart([("a", 3265)], title="t")
    assert chart.rows == [("a", ["3.265"])]
    with translation.override("en"):
        chart = bar_chart([("a", 3265)], title="t")
    assert chart.rows == [("a", ["3,265"])]


def test_axis_ticks_are_round_whole_numbers_reaching_the_maximum():
    assert axis_ticks(0) == [1]
    assert axis_ticks(3) == [1, 2, 3]
    assert axis_ticks(25) == [10, 20, 30]
    assert axis_ticks(40) == [10, 20, 30, 40]
    assert axis_ticks(230) == [100, 200, 300]
    assert axis_ticks(3265) == [1000, 2000, 3000, 4000]


def test_chart_tag_renders_figure_caption_and_table():
    chart = bar_chart([("EU", 63), ("US <x>", 23)], title="Pledgers by region")
    html = Template("{% load charts %}{% chart c %}").render(Context({"c": chart}))
    assert "<figure" in html
    assert "<figcaption" in html
    assert "<svg" in html
    assert '<th scope="row" class="ecl-table__cell">US &lt;x&gt;</th>' in html
    without = Template("{% load charts %}{% chart c table=False %}").render(Context({"c": chart}))
    assert "<table" not in without
    assert "<svg" in without


def test_recent_months_end_with_the_current_one_and_cross_the_year():
    import datetime

    from core.charts import recent_months

    months = recent_months(3, today=datetime.date(2026, 2, 17))
    assert months == [
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]


def test_per_month_places_counts_on_their_month_and_fills_gaps_with_zero():
    import datetime

    from django.utils import timezone

    from core.charts import per_month

    months = [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)]
    rows = [
        (datetime.date(2026, 1, 1), 4),
        (datetime.datetime(2026, 3, 1, 12, tzinfo=timezone.get_current_timezone()), 2),
        (datetime.date(2025, 5, 1), 9),
        (None, 1),
    ]
    assert per_month(rows, months) == [4, 0, 2]
