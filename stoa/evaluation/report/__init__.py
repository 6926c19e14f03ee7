"""An evaluation's documents: the decision record PDF for the council and the Excel export of the matrix.

Both read plain data, ``inputs`` (``compute.inputs_of``) and ``outputs`` (``compute.compute`` or a
frozen record's), through ``tables.py``, so the PDF and the workbook name and number things the
same way. A frozen evaluation's documents come from its stored ``DecisionRecord``, never recomputed.
"""
