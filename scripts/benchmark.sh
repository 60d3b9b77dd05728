#!/usr/bin/env bash
# Measures CalendarConnect on this machine and prints the figures (README, "Performance"): installs wrk from Debian's
# packages when it is missing, builds the services and the benchmark in Release, and runs it. The benchmark starts
# every service as its own process on free loopback ports with fresh databases and stops them at the end.
#   ./scripts/benchmark.sh                 the full run (about 10 minutes on 2 cores)
#   ./scripts/benchmark.sh --quick         about 3 minutes
#   ./scripts/benchmark.sh --only reads    one section: reads, booking, faults or admin (--help for every option)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  echo "==> installing wrk from Debian's packages"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq wrk >/dev/null
fi

echo "==> dotnet build -c Release tools/CalendarConnect.Benchmark"
# The benchmark's project references build the emulator, the MCP server, the backend and the echo server alongside it.
dotnet build -c Release tools/CalendarConnect.Benchmark -nologo -v quiet -clp:ErrorsOnly

exec dotnet tools/CalendarConnect.Benchmark/bin/Release/net10.0/CalendarConnect.Benchmark.dll "$@"
