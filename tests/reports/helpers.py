import csv
import io
import subprocess

from pypdf import PdfReader

from core.models import Job
from reports.models import ReportRequest


def finished(report_request: ReportRequest) -> ReportRequest:
    report_request.refresh_from_db()
    job = report_request.job
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    return report_request


def pdf_bytes(report_request: ReportRequest) -> bytes:
    with report_request.job.result_file.open("rb") as handle:
        return handle.read()


def csv_bytes(report_request: ReportRequest) -> bytes:
    with report_request.csv_file.open("rb") as handle:
        return handle.read()


def pdf_text(content: bytes) -> str:
    """The PDF's text as pdftotext (poppler) extracts it, with its layout, spaces squeezed."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def csv_sections(content: bytes) -> dict[str, list[list[str]]]:
    """The CSV's tables by title: each a list of rows, the column header first."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sections, current = {}, None
    for index, row in enumerate(rows):
        if not row:
            current = None
            continue
        if current is None and index > 0 and (rows[index - 1] == [] or index == 0):
            current = sections.setdefault(row[0], [])
            continue
        if current is not None:
            current.append(row)
    return sections


def csv_figures(content: bytes, section: str) -> dict[str, list[str]]:
    """One table of the CSV as {first cell: the other cells}."""
    return {row[0]: row[1:] for row in csv_sections(content)[section][1:]}


def embedded_csv(content: bytes) -> bytes:
    attachments = PdfReader(io.BytesIO(content)).attachments
    assert len(attachments) == 1, attachments
    ((name, files),) = attachments.items()
    assert name.endswith(".csv")
    return files[0]
