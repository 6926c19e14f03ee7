"""What goes into each report, built step by step so the job can report its progress.

Each builder is a list of ``Step(label, function)``: every function adds its part to one context
dictionary, and the last step turns the context into the file (WeasyPrint PDF or openpyxl
workbook). The job runner (``stoa.reports.jobs``) runs the steps in order and records the step
and the percentage done after each.

A report covers the organisation's own records (the job's organisation), never what another
organisation shared with it: a member who may start a report may already see all of them.
"""
