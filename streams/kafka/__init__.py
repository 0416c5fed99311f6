"""The Kafka edge: the worker, topics, the codec, the registry and the commands that publish, tail and replay."""
