import pytest

from domain_givens import NOW, PRICES


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def prices():
    return dict(PRICES)
