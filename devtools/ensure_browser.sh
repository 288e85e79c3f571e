#!/usr/bin/env bash
# The browser tests drive Debian's Chromium. Install it (and CJK fonts) when missing and we are
# root; otherwise say what to install. Never downloads a browser build of its own.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium fonts-noto-cjk fonts-noto-core
else
  echo "The browser tests need Debian's Chromium: sudo apt-get install chromium fonts-noto-cjk" >&2
  exit 1
fi
