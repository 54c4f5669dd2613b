#!/bin/bash
# Install or upgrade a Contoso on-site node on Raspberry Pi OS Bookworm (64-bit), as root:
#
#   sudo deploy/raspberrypi/install.sh                 # the project from this checkout
#   sudo deploy/raspberrypi/install.sh contoso.whl     # or from a wheel (or another folder)
#
# Idempotent: running it again upgrades the code in place and keeps the config
# (/etc/contoso/node.toml) and the data (/var/lib/contoso). docs/raspberry-pi.md says
# what comes before and after.
#
# Every path can be moved with an environment variable, and CONTOSO_ROOT puts them all
# under a scratch folder: then nothing outside it changes (apt-get, useradd, chown,
# systemctl and udevadm are printed, not run) and root is not needed. The tests do that.
#   CONTOSO_ROOT           prefix of every path below (default: none, the real system)
#   CONTOSO_PREFIX         /opt/contoso (the kiosk launcher in bin/)
#   CONTOSO_VENV           $CONTOSO_PREFIX/venv
#   CONTOSO_DATA_DIR       /var/lib/contoso
#   CONTOSO_CONFIG_DIR     /etc/contoso
#   CONTOSO_SYSTEMD_DIR    /etc/systemd/system
#   CONTOSO_UDEV_DIR       /etc/udev/rules.d
#   CONTOSO_JOURNALD_DIR   /etc/systemd/journald.conf.d
#   CONTOSO_MODULES_DIR    /etc/modules-load.d
#   CONTOSO_BIN_DIR        /usr/local/bin (a `contoso` command linked there)
#   CONTOSO_USER           contoso (the service's system user)
#   CONTOSO_DESKTOP_USER   whose desktop session starts the kiosk browser (default: the
#                          user who ran sudo, else uid 1000; "none": no kiosk browser)
#   CONTOSO_DESKTOP_HOME   that user's home (default: from the passwd database)
#   CONTOSO_ALLOW_ARCH=1   install on another architecture than aarch64 (tests only)
#   CONTOSO_SKIP_PIP=1     make the virtual environment but install nothing in it (tests)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${CONTOSO_ROOT:-}
prefix_path=${CONTOSO_PREFIX:-/opt/contoso}
PREFIX=$root$prefix_path
VENV=$root${CONTOSO_VENV:-$prefix_path/venv}
DATA_DIR=$root${CONTOSO_DATA_DIR:-/var/lib/contoso}
CONFIG_DIR=$root${CONTOSO_CONFIG_DIR:-/etc/contoso}
SYSTEMD_DIR=$root${CONTOSO_SYSTEMD_DIR:-/etc/systemd/system}
UDEV_DIR=$root${CONTOSO_UDEV_DIR:-/etc/udev/rules.d}
JOURNALD_DIR=$root${CONTOSO_JOURNALD_DIR:-/etc/systemd/journald.conf.d}
MODULES_DIR=$root${CONTOSO_MODULES_DIR:-/etc/modules-load.d}
BIN_DIR=$root${CONTOSO_BIN_DIR:-/usr/local/bin}
SERVICE_USER=${CONTOSO_USER:-contoso}
PACKAGES=(python3-venv libzbar0 libusb-1.0-0 fonts-dejavu-core fonts-wqy-microhei curl)

say() { printf '==> %s\n' "$*"; }

# Change the system, or in a scratch root only say what would run.
system() {
    if [ -n "$root" ]; then
        printf '    (scratch root, not run) %s\n' "$*"
    else
        "$@"
    fi
}

check_platform() {
    local arch
    arch=$(uname -m)
    if [ "$arch" != aarch64 ] && [ "${CONTOSO_ALLOW_ARCH:-}" != 1 ]; then
        echo "This is $arch: install the 64-bit Raspberry Pi OS (aarch64). OpenCV has no" >&2
        echo "wheels for 32-bit ARM, so the node cannot be installed here." >&2
        exit 1
    fi
    if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
        echo "Run it as root: sudo $0 $*" >&2
        exit 1
    fi
}

installed() { dpkg -s "$1" >/dev/null 2>&1; }

install_packages() {
    local missing=() package
    for package in "${PACKAGES[@]}"; do
        installed "$package" || missing+=("$package")
    done
    # Raspberry Pi OS images ship chromium (newer) or chromium-browser (older).
    if ! installed chromium && ! installed chromium-browser; then
        missing+=(chromium)
    fi
    if [ ${#missing[@]} -eq 0 ]; then
        say "Debian packages: all present"
        return
    fi
    say "Debian packages: installing ${missing[*]}"
    system apt-get update -qq
    if [ -z "$root" ] && [[ " ${missing[*]} " == *" chromium "* ]] \
        && ! apt-cache show chromium >/dev/null 2>&1; then
        missing=("${missing[@]/#chromium/chromium-browser}")
    fi
    system env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

create_user() {
    if id -u "$SERVICE_USER" >/dev/null 2>&1; then
        say "System user $SERVICE_USER: present"
    else
        say "System user $SERVICE_USER: creating"
        system useradd --system --user-group --home-dir "${DATA_DIR#"$root"}" \
            --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
    fi
    # lp: USB printers and /dev/usb/lp*; dialout: serial printers; video: USB cameras.
    system usermod --append --groups lp,dialout,video "$SERVICE_USER"
}

install_code() {
    local source=$1
    if [ ! -x "$VENV/bin/python" ]; then
        say "Virtual environment: creating $VENV"
        if [ "${CONTOSO_SKIP_PIP:-}" = 1 ]; then
            python3 -m venv --without-pip "$VENV"
        else
            python3 -m venv "$VENV"
        fi
    fi
    if [ "${CONTOSO_SKIP_PIP:-}" = 1 ]; then
        say "Project: not installed (CONTOSO_SKIP_PIP=1)"
        return
    fi
    say "Project: installing $source into $VENV"
    "$VENV/bin/pip" install --quiet --upgrade pip
    "$VENV/bin/pip" install --quiet --upgrade "$source"
}

# A template with its @...@ placeholders filled in, written atomically with the given mode.
render() {
    local template=$1 target=$2 mode=$3 tmp
    tmp=$(mktemp "$target.XXXXXX")
    sed -e "s|@VENV@|$VENV|g" -e "s|@DATA_DIR@|$DATA_DIR|g" \
        -e "s|@CONFIG_DIR@|$CONFIG_DIR|g" -e "s|@USER@|$SERVICE_USER|g" \
        "$here/$template" >"$tmp"
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$target"
}

install_data_and_config() {
    say "Data folder: $DATA_DIR (0700, $SERVICE_USER's)"
    install -d -m 0700 "$DATA_DIR" "$DATA_DIR/cache"
    chmod 0700 "$DATA_DIR"
    system chown -R "$SERVICE_USER:$SERVICE_USER" "$DATA_DIR"
    install -d -m 0755 "$CONFIG_DIR"
    if [ -e "$CONFIG_DIR/node.toml" ]; then
        say "Config: keeping $CONFIG_DIR/node.toml"
    else
        say "Config: writing $CONFIG_DIR/node.toml (edit it: printer, hub, camera)"
        render node.toml "$CONFIG_DIR/node.toml" 0644
    fi
}

install_system_files() {
    say "udev rules, journald in RAM, USB-serial modules, systemd unit"
    install -d -m 0755 "$UDEV_DIR" "$JOURNALD_DIR" "$MODULES_DIR" "$SYSTEMD_DIR"
    install -m 0644 "$here/60-contoso-escpos.rules" "$UDEV_DIR/60-contoso-escpos.rules"
    install -m 0644 "$here/journald-volatile.conf" "$JOURNALD_DIR/contoso-volatile.conf"
    install -m 0644 "$here/modules-load.conf" "$MODULES_DIR/contoso.conf"
    render contoso-node.service "$SYSTEMD_DIR/contoso-node.service" 0644
    system udevadm control --reload
    system udevadm trigger --subsystem-match=usb --subsystem-match=usbmisc
    system systemctl restart systemd-journald
    system systemctl restart systemd-modules-load
    system systemctl daemon-reload
    system systemctl enable contoso-node.service
}

desktop_user() {
    if [ -n "${CONTOSO_DESKTOP_USER:-}" ]; then
        echo "$CONTOSO_DESKTOP_USER"
    elif [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
        echo "$SUDO_USER"
    else
        getent passwd 1000 | cut -d: -f1
    fi
}

install_kiosk() {
    local user home autostart line
    install -d -m 0755 "$PREFIX/bin"
    render contoso-kiosk.sh "$PREFIX/bin/contoso-kiosk" 0755
    user=$(desktop_user)
    if [ -z "$user" ] || [ "$user" = none ]; then
        say "Kiosk browser: no desktop user (set CONTOSO_DESKTOP_USER)"
        return
    fi
    home=${CONTOSO_DESKTOP_HOME:-$(getent passwd "$user" | cut -d: -f6 || true)}
    home=$root${home:-/home/$user}
    autostart=$home/.config/labwc/autostart
    line="$PREFIX/bin/contoso-kiosk &  # the Contoso kiosk browser (install.sh)"
    install -d -m 0755 "$home/.config/labwc"
    if grep -qF "$PREFIX/bin/contoso-kiosk" "$autostart" 2>/dev/null; then
        say "Kiosk browser: already in $autostart"
    else
        say "Kiosk browser: started by $user's desktop session ($autostart)"
        printf '%s\n' "$line" >>"$autostart"
    fi
    system chown "$user:" "$home/.config" "$home/.config/labwc" "$autostart"
}

link_command() {
    install -d -m 0755 "$BIN_DIR"
    ln -sfn "$VENV/bin/contoso" "$BIN_DIR/contoso"
}

start_or_explain() {
    local node_data=${DATA_DIR}/node
    if [ -e "$node_data/node.json" ]; then
        say "Node enrolled: (re)starting contoso-node"
        system systemctl restart contoso-node.service
        return
    fi
    cat <<EOF
==> Installed. Next (docs/raspberry-pi.md):
    1. Edit $CONFIG_DIR/node.toml (printer, hub URL or discovery, camera).
    2. sudo -u $SERVICE_USER contoso node enroll --config $CONFIG_DIR/node.toml --hub HUB_URL --code CODE
    3. sudo -u $SERVICE_USER contoso node set-staff-pin --config $CONFIG_DIR/node.toml
    4. sudo -u $SERVICE_USER contoso node test-print --config $CONFIG_DIR/node.toml
    5. sudo systemctl start contoso-node, then reboot: the kiosk opens on the screen.
EOF
}

main() {
    local source=${1:-$(cd "$here/../.." && pwd)}
    check_platform "$@"
    install_packages
    create_user
    install_code "$source"
    install_data_and_config
    install_system_files
    install_kiosk
    link_command
    start_or_explain
}

main "$@"
