#!/usr/bin/env bash
# Installs what a fresh clone is missing, so `npm run demo` and `npm test` work as the first
# command on a new machine. Each step is skipped when its result is already up to date.
#   --build     also build the Next.js app and the server entry when sources changed since the last build
#   --browser   also install Chromium (Debian's package) for the end-to-end tests
#   --prometheus  also install Prometheus and promtool (Debian's package) for the integration tests
#   --faketime  also install libfaketime (Debian's package) for the clock-skew tests
#   --pdf       also install poppler-utils (Debian's package): the review PDF test renders pages back to images
set -euo pipefail
cd "$(dirname "$0")/../.."
export NEXT_TELEMETRY_DISABLED=1

if [ ! -x node_modules/.bin/next ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "› installing npm packages"
  npm install --no-audit --no-fund --loglevel=error
fi

if [ ! -f lib/generated/prisma/client.ts ] || [ prisma/schema.prisma -nt lib/generated/prisma/client.ts ]; then
  echo "› generating the Prisma client"
  npx prisma generate >/dev/null
fi

for arg in "$@"; do
  case "$arg" in
    --build)
      if [ ! -f .next/BUILD_ID ] || [ -n "$(find app components lib public next.config.ts package.json -newer .next/BUILD_ID -not -path 'lib/generated/*' -print -quit 2>/dev/null)" ]; then
        echo "› building the app"
        npx next build >/tmp/burnrate-build.log 2>&1 || { cat /tmp/burnrate-build.log; exit 1; }
        rm -rf .next/burnrate-server
      fi
      # The server entry (lib/cli/start.ts and what it imports), bundled ahead of time: loading it
      # through tsx at start-up cost about 100 MB of memory and a second (docs/scaling.md).
      if [ ! -f .next/burnrate-server/start.mjs ]; then
        echo "› building the server entry"
        npm run -s build:server
      fi
      ;;
    --browser)
      if ! command -v "${CHROMIUM_PATH:-chromium}" >/dev/null 2>&1 && [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
        echo "› installing Chromium for the end-to-end tests"
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null
      fi
      ;;
    --prometheus)
      if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
        echo "› installing Prometheus for the integration tests"
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        $SUDO apt-get update -qq && $SUDO apt-get install -y -qq prometheus >/dev/null
      fi
      ;;
    --pdf)
      if ! command -v pdftoppm >/dev/null 2>&1; then
        echo "› installing poppler-utils for the PDF tests"
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        $SUDO apt-get update -qq && $SUDO apt-get install -y -qq poppler-utils >/dev/null
      fi
      ;;
    --faketime)
      if [ ! -f /usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1 ]; then
        echo "› installing libfaketime for the clock-skew tests"
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        $SUDO apt-get update -qq && $SUDO apt-get install -y -qq libfaketime >/dev/null
      fi
      ;;
  esac
done
