"""Order access tokens: only a hash of each is kept, so a copy of the database opens no order."""
from __future__ import annotations

import peewee


def order_access_models(Base) -> dict:
    class OrderAccessToken(Base):
        token_hash = peewee.CharField(max_length=64, primary_key=True)   # sha256, hex
        order_id = peewee.CharField(max_length=36, index=True)
        created_at = peewee.CharField(max_length=40)

        class Meta:
            table_name = "order_access_token"

    return {"OrderAccessToken": OrderAccessToken}
