"""Observability: JSON logs and Prometheus metrics, declared once."""
