"""The reviews' enrolment chart: its legend sits under the plot, never over the lines it names."""

import re

import pytest

from reporting.charts import HEIGHT, enrolment_chart


@pytest.mark.parametrize("drawing", [0, 1], ids=["wide", "narrow"])
def test_the_legend_is_under_the_month_labels(drawing):
    both = str(
        enrolment_chart(
            months=list(range(1, 13)),
            series=[("Enrolled", list(range(12))), ("Completed", [0] * 6 + list(range(6)))],
            title="t",
            description="d",
            month_label="Month %(number)s",
        )
    )
    # Drawn for wide screens and for a phone: the same rules hold in each drawing.
    svg = both.split("</svg>")[drawing]
    assert svg.count("<svg") == 1
    months_y = max(float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)" text-anchor="middle"', svg))
    plot_bottom = float(re.search(r'<line x1="\d+" y1="([\d.]+)"', svg)[1])
    legend = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" fill="#[0-9a-f]+" font-size="12">— (\w+)</text>', svg)
    assert [name for _x, _y, name in legend] == ["Enrolled", "Completed"]
    assert all(plot_bottom < months_y < float(y) <= HEIGHT for _x, y, _name in legend)
    assert float(legend[1][0]) > float(legend[0][0]) + len("— Enrolled") * 6  # side by side, not overlapping
