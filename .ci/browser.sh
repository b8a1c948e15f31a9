#!/usr/bin/env bash
# The picture tests' tools: Chromium (headless), a CJK font, and poppler-utils (pdftotext reads the
# printed pages back). Each Debian package is installed with apt-get only when it is missing.
# Run it (`bash .ci/browser.sh`) or source it; then set CADRE_LEDGER_REQUIRE_BROWSER=1 so that the
# browser tests fail instead of skipping when something is still missing.
cadre_ledger_browser_tools() {
  local missing=() package sudo=""
  for package in chromium fonts-noto-cjk poppler-utils; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "installing ${missing[*]}" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}
cadre_ledger_browser_tools
