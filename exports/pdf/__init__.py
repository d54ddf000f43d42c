"""PDF renderers (reportlab): the passport, the Start-to-MVO scan report, the sector report.

Each renderer takes the plain document data of ``exports.documents`` and returns bytes.
"""

from exports.pdf.passport import PassportRenderer, render_passport
from exports.pdf.scan import ScanRenderer, render_scan
from exports.pdf.sector import SectorReportRenderer, render_sector_report

__all__ = [
    "PassportRenderer",
    "ScanRenderer",
    "SectorReportRenderer",
    "render_passport",
    "render_scan",
    "render_sector_report",
]
