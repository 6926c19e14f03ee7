"""The assessment report: what it holds (context), the PDF (WeasyPrint) and the Excel export of the answers."""
