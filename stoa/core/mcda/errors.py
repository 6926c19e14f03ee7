"""The one error the MCDA package raises for bad input, with a message a person can act on.

Stoa's web pages show ``str(exc)`` to the municipality's staff, so every message says in plain
English what is wrong and where. Positions in messages count from 1, as a person reads a table
("criterion 1" is the first column); the functions themselves take and return 0-based indices.
"""

from __future__ import annotations


class McdaInputError(ValueError):
    """An input to an MCDA function is not usable; the message says what and where."""
