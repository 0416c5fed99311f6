"""cablestream: streaming ingestion of diplomatic cables (parse, enrich, route by classification)."""

__version__ = "0.1.0"
