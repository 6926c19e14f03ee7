"""The measures catalogue as pure rules, with no web framework.

* ``measures`` holds a catalogue entry's numbers (``MeasureSpec``): effect per threat type and
  factor, cost bands;
* ``combination`` combines overlapping measures and turns a rating into a residual rating;
* ``gaps`` ranks the measures that would lower each scenario's risk most per euro (vectorised,
  for a whole city at once);
* ``search`` and ``facets`` drive the catalogue's browse page (the same results on every database).
"""
