#!/usr/bin/env bash
# The tests, from a fresh clone on Debian with only the .NET 10 SDK: installs what the tests start
# (Debian's Chromium, Firefox ESR, nginx, Prometheus with promtool, nats-server, clang for the Native AOT
# publish, openssl for the TLS tests) and their npm packages, then runs `dotnet test` with any arguments
# given (e.g. --filter Name~Resume). On a machine that already has them, plain `dotnet test` does the same.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian's packages, whichever is missing (never a downloaded browser).
declare -A needs=(
  [chromium]=/usr/bin/chromium
  [firefox-esr]=/usr/bin/firefox-esr
  [nginx]=/usr/sbin/nginx
  [prometheus]=/usr/bin/promtool
  [nats-server]=/usr/sbin/nats-server
  [clang]=/usr/bin/clang
  [openssl]=/usr/bin/openssl
)
missing=()
for package in "${!needs[@]}"; do
  [[ -x ${needs[$package]} ]] || missing+=("$package")
done
if (( ${#missing[@]} > 0 )); then
  echo "test.sh: installing ${missing[*]} from Debian's packages"
  sudo=()
  (( EUID == 0 )) || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The tests' own npm packages (polyfills, client libraries, the Firefox driver), from their lock file.
for folder in SseFlights.Tests/Browser/npm; do
  if [[ ! -d $folder/node_modules ]] || [[ $folder/package-lock.json -nt $folder/node_modules ]]; then
    (cd "$folder" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts)
  fi
done

# The packaging tests publish a trimmed single file and a Native AOT binary, which need some 350 MB of
# runtime packs. Fetch them first, so a slow download is not spent inside the tests' time limits.
packs="$(mktemp -d)"
trap 'rm -rf "$packs"' EXIT
cp SseFlights/SseFlights.csproj "$packs/"
dotnet restore "$packs/SseFlights.csproj" -r linux-x64 -p:PublishReadyToRun=true --verbosity quiet
dotnet restore "$packs/SseFlights.csproj" -r linux-x64 -p:PublishAot=true --verbosity quiet

dotnet test "$@"
