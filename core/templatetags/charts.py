"""`{% chart some_chart %}`: a chart from `core.charts` as a figure with its caption and, unless
`table=False` (a PDF that prints the figures beside it), the same figures as a table."""

from django import template

register = template.Library()


@register.inclusion_tag("core/fragment_chart.html")
def chart(chart, table=True, caption=True):
    return {"chart": chart, "table": table, "caption": caption}
