#!/bin/bash
# The kiosk browser: Chromium full screen on the node's self check-in page.
# Started by the desktop session (labwc reads ~/.config/labwc/autostart; install.sh adds the
# line), as the desktop user, not as a system service: it needs the Wayland display.
# A template: install.sh fills in the @...@ paths.
set -euo pipefail

config="@CONFIG_DIR@/node.toml"
python="@VENV@/bin/python"

url=http://127.0.0.1:8100/kiosk
if [ -r "$config" ]; then
    status=0
    found=$("$python" -m onsite_node.config_file kiosk-url "$config") || status=$?
    if [ "$status" -eq 1 ]; then
        echo "contoso-kiosk: [kiosk] enabled = false in $config; no kiosk browser." >&2
        exit 0
    fi
    # 0: the configured page; anything else (an unreadable file): the default page.
    if [ "$status" -eq 0 ]; then
        url=$found
    fi
fi

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "contoso-kiosk: no chromium on this system (apt-get install chromium)." >&2
    exit 1
fi

# Wait for the node (it starts with the system, the desktop may be quicker), so the
# first page is the kiosk and not Chromium's "connection refused".
for _ in $(seq 1 120); do
    if curl --silent --fail --output /dev/null --max-time 2 "$url"; then
        break
    fi
    sleep 1
done

# Flags: HARDWARE.md (labwc, Wayland). No "restore pages?" bubble after a power cut, no
# translation bar, no swipe-back navigation or pinch zoom on the touch screen. If Chromium
# exits (a crash, Alt+F4), it comes back after two seconds. The kiosk's tones play without
# a touch first (autoplay policy); staff turn them off on the node's status page.
while true; do
    "$browser" --kiosk --noerrdialogs --disable-infobars --no-first-run \
        --ozone-platform=wayland --disable-session-crashed-bubble \
        --disable-features=Translate --overscroll-history-navigation=0 --disable-pinch \
        --password-store=basic --check-for-update-interval=31536000 \
        --autoplay-policy=no-user-gesture-required \
        "$url" || true
    sleep 2
done
