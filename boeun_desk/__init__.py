"""Boeun Desk (보은 데스크): records and documents for regional industry support officers."""

__version__ = "0.1.0"
