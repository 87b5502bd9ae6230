"""The batch audit: a reviewer's table of hours records in, one result per applicant out.

:mod:`.reading` reads the office table (CSV or XLSX), :mod:`.evaluation` groups its rows into
applicants and evaluates each with :func:`generator.rules.evaluate`, :mod:`.report` writes
the report. Runs in the browser too (``/audit/``, through :mod:`generator.browser.worker.audit`):
standard library only, apart from openpyxl for an XLSX report.
"""
