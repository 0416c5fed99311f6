"""The pure core: parse, enrich and route over plain data. Imports nothing from Kafka or observability."""
