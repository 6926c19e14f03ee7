"""Stoa: protect public spaces against terrorist attacks, after the EU PRoTECT method."""

__version__ = "0.1.0"
