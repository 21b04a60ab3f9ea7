"""HTML to PDF with WeasyPrint, with nothing fetched from the network.

Templates live under templates/reports/pdf/ and extend `reports/pdf/base.html`, whose print CSS
sets A4 pages, a running header and a "Page N of M" footer, in DejaVu fonts (installed on the
machine; they cover Latin, Greek and Cyrillic).
"""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(*, template: str, context: dict) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    # Local files (fonts, static images) only: a document never waits on the network.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    base_url = str(settings.BASE_DIR / "static") + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
