"""The replicated event log: envelope, per-origin sequences, version vectors,
the peewee log store both hub and nodes use, and the serialisation registry.

Knows nothing about conferences: a conference is only a filter key here.
"""
