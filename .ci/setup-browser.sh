#!/usr/bin/env bash
# The browser tests' tools (tests/test_browser.py): Debian's Chromium, driven by Playwright for Python (the
# `test` extra; its own browser download, `playwright install`, is never used), and from npm, pinned by
# tests/browser/package-lock.json, axe-core, the Nu Html Checker (vnu-jar; Java comes from
# scripts/install-test-deps.sh) and Lighthouse (run with CHROME_PATH=/usr/bin/chromium, so it never downloads a
# browser of its own). Idempotent: a second run installs nothing and takes a second.
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/bin/chromium ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# npm ci wipes node_modules first, so run it only when the lock file changed since the last install.
dir=tests/browser
stamp=$dir/node_modules/.kitgen-lock.sha256
want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi
test -f "$dir/node_modules/axe-core/axe.min.js"
test -f "$dir/node_modules/vnu-jar/build/dist/vnu.jar"
test -x "$dir/node_modules/.bin/lighthouse"
echo "browser checks ready: $(/usr/bin/chromium --version 2>/dev/null | head -1), axe-core, vnu.jar and lighthouse in $dir/node_modules"
