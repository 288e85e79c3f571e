#!/usr/bin/env bash
# System tools the test suite uses, from Debian packages: Chromium (browser tests, driven by
# Playwright, never a downloaded browser), libatomic1 (Playwright's bundled Node.js driver links
# it; a minimal Debian 12 lacks it), CJK fonts (screenshots of Chinese pages), GNU gettext (the
# translation-completeness test runs makemessages), the Noto fonts badges are set in, and
# PgBouncer (the connection-pooling integration test starts one). Installed when missing and we
# are root; otherwise we say what to install.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/*/libatomic.so.1 >/dev/null 2>&1 || need+=(libatomic1)
[ -x /usr/sbin/pgbouncer ] || need+=(pgbouncer)
command -v xgettext >/dev/null || need+=(gettext)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
# Badges: Arabic, Thai, Hebrew, Devanagari and Latin/Cyrillic faces (outreach/badges.py)
[ -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ] || need+=(fonts-noto-core)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing for the tests: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
else
  echo "The tests need these Debian packages: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
