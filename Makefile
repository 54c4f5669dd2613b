# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-data
# Debian packages the tests need; installed only when missing and only as root.
DEB_PACKAGES := libzbar0 fonts-dejavu-core fonts-wqy-microhei chromium postgresql

.PHONY: test demo demo-reset venv system-packages clean screenshots bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

system-packages:
	@$(PYTHON) scripts/system_packages.py $(DEB_PACKAGES)

test: venv system-packages
	$(PY) -m pytest -q

# Main pages of the hub and the kiosk as PNGs (docs/screenshots/, not committed).
screenshots: venv system-packages
	SCREENSHOT_DIR=docs/screenshots $(PY) -m pytest -q tests/browser/test_hub_browser.py tests/browser/test_kiosk_browser.py

# Timed figures against baselines run alongside (docs/performance.md); QUICK=1: small sizes.
bench: venv
	QUICK=$(QUICK) $(PY) -m benchmarks.run

demo: venv
	$(VENV)/bin/contoso demo --data-dir $(DEMO_DIR)

demo-reset:
	rm -rf $(DEMO_DIR)

clean:
	rm -rf $(VENV) .pytest_cache
