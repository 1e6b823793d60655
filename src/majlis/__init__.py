"""Majlis: an open-source platform for high-level intergovernmental conferences."""

__version__ = "0.1.0"
