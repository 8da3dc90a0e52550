#!/usr/bin/env bash
# System packages the tests need, from Debian's archive (never a downloaded browser or font):
# HarfBuzz's subsetter (WeasyPrint embeds font subsets about 2x faster with it), a Java runtime for the Nu Html
# Checker, pdftk and poppler for the fax form's engines, Ghostscript for the print-shop preflight, and the browser checks' own setup (Debian's Chromium; axe-core, vnu-jar and Lighthouse from npm).
# Idempotent; needs root (or sudo) only when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
ldconfig -p | grep -q libharfbuzz-subset.so.0 || missing+=(libharfbuzz-subset0)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v pdftk >/dev/null || missing+=(pdftk-java)          # tests/test_fax_form_engines.py: fills and flattens
command -v pdftocairo >/dev/null || missing+=(poppler-utils)  # ... and poppler draws the filled fax form
command -v gs >/dev/null || missing+=(ghostscript)  # tests/test_preflight.py: ink coverage (inkcov) of the cards
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
bash .ci/setup-browser.sh
