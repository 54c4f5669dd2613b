# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-data
# Debian packages the tests need; installed only when missing and only as root.
# shellcheck and systemd (systemd-analyze) check deploy/raspberrypi/.
DEB_PACKAGES := libzbar0 fonts-dejavu-core fonts-wqy-microhei chromium shellcheck systemd postgresql

.PHONY: test demo demo-reset demo-venue-day venv system-packages clean screenshots bench

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

# Pages of the hub, the admin console, the kiosk and the planner as PNGs
# (docs/screenshots/, not committed).
screenshots: venv system-packages
	SCREENSHOT_DIR=docs/screenshots $(PY) -m pytest -q tests/browser

# Timed figures against baselines run alongside (docs/performance.md); QUICK=1: small sizes.
bench: venv
	QUICK=$(QUICK) $(PY) -m benchmarks.run

# A hub and two doors on loopback until Ctrl-C; the data stays in $(DEMO_DIR) for the next run.
demo: venv
	$(VENV)/bin/contoso demo --data-dir $(DEMO_DIR)

# A venue morning played against the running demo (from a second terminal).
demo-venue-day: venv
	$(VENV)/bin/contoso demo --scenario venue-day --data-dir $(DEMO_DIR)

demo-reset:
	rm -rf $(DEMO_DIR)

clean:
	rm -rf $(VENV) .pytest_cache
