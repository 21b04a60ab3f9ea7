"""HTML to PDF with WeasyPrint, with nothing fetched from the network.

Templates live under templates/reports/pdf/ and extend `reports/pdf/base.html`, whose print CSS
sets A4 pages, a running header and a "Page N of M" footer, in DejaVu fonts (installed on the
machine; they cover Latin, Greek and Cyrillic). The document's `<title>`, `<html lang>` and
`<meta name="author">` become the PDF's metadata.

`attachments` are (file name, bytes, description) embedded in the PDF (a report carries its CSV);
`pdf_variant` asks for an archival variant such as "pdf/a-3a" (the signed pledge). Every PDF is
tagged (its headings, paragraphs, tables and lists marked for assistive technology, the title
shown as the window's title, the language set from `<html lang>`), as EN 301 549 asks of
documents the service publishes.
"""

from django.conf import settings
from django.template.loader import render_to_string


def html_to_pdf(html: str, *, attachments=(), pdf_variant: str | None = None) -> bytes:
    from weasyprint import HTML, Attachment
    from weasyprint.urls import URLFetcher

    # Local files (fonts, static images) only: a document never waits on the network.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    base_url = str(settings.BASE_DIR / "static") + "/"
    options = {"pdf_tags": True}
    if attachments:
        options["attachments"] = [
            Attachment(string=content, name=name, description=description)
            for name, content, description in attachments
        ]
    if pdf_variant:
        options["pdf_variant"] = pdf_variant
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(**options)


def render_pdf(
    *, template: str, context: dict, attachments=(), pdf_variant: str | None = None
) -> bytes:
    html = render_to_string(template, context)
    return html_to_pdf(html, attachments=attachments, pdf_variant=pdf_variant)
