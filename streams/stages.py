"""Stage names. Each is the metric label, the log field and the dead-letter header value."""

DECODE = "decode"  # raw bytes -> text
PARSE = "parse"  # text -> Cable
ENRICH = "enrich"  # Cable -> Cable with tags/entities
ROUTE = "route"  # Cable -> Route
ENCODE = "encode"  # Cable -> Avro bytes
PUBLISH = "publish"  # send to the output topic

ALL = (DECODE, PARSE, ENRICH, ROUTE, ENCODE, PUBLISH)
