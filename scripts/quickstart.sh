#!/bin/sh
# The README's two commands, on any fresh Linux machine with Python 3.11+:
#
#   sh scripts/quickstart.sh demo   audit the built-in demo target, write a report
#   sh scripts/quickstart.sh test   run the whole test suite
#
# Everything is installed into ./.venv, never into the system Python: Debian 12
# and Ubuntu 24.04 mark their python3 as externally managed (PEP 668), so a
# plain `pip install` there is refused. Versions come from constraints.txt, so
# a fresh clone tests exactly what CI tested; `sh scripts/quickstart.sh lock`
# refreshes that file from the newest compatible releases, and
# EGOV_AUDIT_UNLOCKED=1 installs without it (to try the newest releases).
#
# PYTHON picks the interpreter (default: python3 on PATH); CI sets
# PYTHON=/usr/bin/python3 to prove the distribution's own Python works.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${EGOV_AUDIT_VENV:-"$ROOT/.venv"}
PYTHON=${PYTHON:-python3}
CONSTRAINTS="$ROOT/constraints.txt"

die() { echo "quickstart: $*" >&2; exit 2; }

check_python() {
    command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found; install Python 3.11 or newer"
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "$PYTHON is $("$PYTHON" -V 2>&1); egov-audit needs Python 3.11 or newer"
}

# Debian and Ubuntu ship venv's pip bootstrap (ensurepip) in a separate package.
ensure_venv_module() {
    "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null && return 0
    pkg=python3-venv
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "quickstart: installing $pkg (venv's pip bootstrap is a separate Debian package)"
        apt-get install -y -qq "$pkg" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$pkg" >/dev/null; }
    elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
        echo "quickstart: installing $pkg with sudo (venv's pip bootstrap is a separate package)"
        sudo apt-get install -y -qq "$pkg" >/dev/null
    else
        die "Python's venv module is incomplete; install it (Debian/Ubuntu: apt-get install $pkg)"
    fi
}

make_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        check_python
        ensure_venv_module
        "$PYTHON" -m venv "$VENV"
    fi
}

install() {  # install "$@" into the venv, pinned unless EGOV_AUDIT_UNLOCKED=1
    if [ "${EGOV_AUDIT_UNLOCKED:-0}" = 1 ]; then
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$@"
    else
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -c "$CONSTRAINTS" "$@"
    fi
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
    demo)  # the report goes to ./egov-audit-demo/ of the directory it is run from
        make_venv
        install -e "$ROOT"
        exec "$VENV/bin/egov-audit" demo "$@"
        ;;
    test)
        cd "$ROOT"
        make_venv
        install -e ".[test]"
        exec "$VENV/bin/python" -m pytest "$@"
        ;;
    lock)
        cd "$ROOT"
        check_python
        ensure_venv_module
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        "$PYTHON" -m venv "$tmp/venv"
        "$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check ".[test]"
        {
            echo "# Exact versions the tests run with (pip constraints)."
            echo "# Refresh: sh scripts/quickstart.sh lock   (then run the tests and commit)"
            "$tmp/venv/bin/python" -m pip freeze --exclude-editable | grep -iv '^egov-audit[= ]'
        } > "$CONSTRAINTS"
        echo "quickstart: wrote $CONSTRAINTS"
        ;;
    *)
        echo "usage: sh scripts/quickstart.sh demo|test|lock [arguments]" >&2
        exit 2
        ;;
esac
