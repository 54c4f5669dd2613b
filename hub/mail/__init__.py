"""E-mail: an outbox fed by the log's events, sent over SMTP by the worker (docs/mail.md)."""
