"""The hub over HTTP: the Flask app, the JSON API, the sync endpoints, the pages. The only
part of the hub that imports Flask (tests/unit/test_import_rules.py)."""
