"""The pieces the pages are made of: safe text, CSS strings, SVG elements, the time axis, chart steps."""
from __future__ import annotations

from datetime import UTC, date, datetime

from markupsafe import Markup

from projections.pictures import svg
from projections.pictures.axis import MAX_YEARS, TimeAxis
from projections.pictures.charts import nice_step
from projections.pictures.pages import counter_content
from projections.pictures.text import css_string, fit, moment_text, text_width, visible


def test_control_and_bidirectional_characters_are_shown_escaped_and_cjk_spacing_kept() -> None:
    assert visible("张\u202e明") == "张\\u202e明"
    assert visible("a\x07b\x85c") == "a\\u0007b\\u0085c"
    assert visible("第\u3000一") == "第\u3000一"
    assert visible("两行\n文字") == "两行 文字"


def test_a_css_string_cannot_close_its_style_block_or_its_quotes() -> None:
    value = css_string('</style><script>"x"\\')

    assert value.startswith('"') and value.endswith('"')
    assert "<" not in value and ">" not in value and '"' not in value[1:-1] and "\\\\" not in value
    assert css_string("审核人 A1") == '"审核人 A1"'


def test_page_counters_sit_between_the_words_of_the_pattern() -> None:
    assert counter_content("第 {page} 页 共 {pages} 页") == Markup(
        '"第 " counter(page) " 页 共 " counter(pages) " 页"')
    assert counter_content("Page {page} of {pages}") == Markup('"Page " counter(page) " of " counter(pages)')


def test_svg_text_and_attributes_are_escaped_once() -> None:
    element = svg.text(1, 2.345, '<b>"张"</b>', data_source='x" onload="y', class_="k")

    assert str(element) == ('<text x="1" y="2.35" data-source="x&#34; onload=&#34;y" class="k">'
                            "&lt;b&gt;&#34;张&#34;&lt;/b&gt;</text>")


def test_cut_text_fits_its_width_and_chinese_counts_double() -> None:
    assert text_width("张明", 2) == 4 and text_width("ab", 2) < 4
    assert fit("宜昌市夷陵区发展和改革局", 10, 2) == "宜昌市夷…"
    assert fit("短", 10, 2) == "短" and fit("长长", 1, 2) == ""


def test_timestamps_print_in_beijing_time() -> None:
    assert moment_text(datetime(2026, 11, 26, 3, 0, tzinfo=UTC)) == "2026-11-26 11:00:00 UTC+8"
    assert moment_text("2026-11-26T03:00:00") == "2026-11-26 11:00:00 UTC+8"  # naive is UTC


def test_the_axis_covers_whole_years_with_room_after_the_last_day() -> None:
    axis = TimeAxis.around([date(2017, 5, 1), None, date(2026, 11, 20)], 10, 110)

    assert (axis.start, axis.end) == (date(2017, 1, 1), date(2028, 1, 1))
    assert axis.x(date(2017, 1, 1)) == 10 and axis.x(date(2028, 1, 1)) == 110
    assert axis.x(date(1990, 1, 1)) == 10 and axis.x(date(2040, 1, 1)) == 110
    assert axis.year_span(2020)[0] < axis.x(date(2020, 7, 1)) < axis.year_span(2020)[1]


def test_a_very_long_history_keeps_the_latest_years() -> None:
    axis = TimeAxis.around([date(1985, 1, 1), date(2026, 1, 1)], 0, 100)

    assert axis.end.year - axis.start.year == MAX_YEARS and axis.end == date(2028, 1, 1)


def test_chart_steps_are_round() -> None:
    assert [nice_step(n) for n in (0, 3, 6, 11, 40, 130, 900)] == [1, 1, 2, 5, 10, 50, 500]
