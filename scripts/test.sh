#!/usr/bin/env bash
# Runs every test of CalendarConnect on a fresh machine: installs and starts what the tests need
# (Debian's Chromium for the browser tests, HAProxy for the scale-out test, Python's cryptography for Fernet interoperability, a running
# PostgreSQL for the store tests),
# then builds and runs all test projects. Safe to run again: each step checks before it acts.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# Debian's HAProxy: the scale-out test runs the shipped deploy/haproxy.cfg in front of real service processes.
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need_apt+=(haproxy)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-cryptography)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "==> installing ${need_apt[*]} from Debian's packages"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if ! python3 -c 'import cryptography' 2>/dev/null; then
  # Debian's python refuses pip installs into the system (externally managed): prefer its package.
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq python3-cryptography >/dev/null; } || python3 -m pip install --quiet cryptography
fi

export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"

# PostgreSQL: every store test also runs against a real server. Use CALENDARCONNECT_TEST_POSTGRES if given
# (an Npgsql connection string of a role that may CREATE DATABASE); otherwise start the machine's cluster and
# make a test role of our own on it.
if [ -z "${CALENDARCONNECT_TEST_POSTGRES:-}" ]; then
  as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    echo "==> installing postgresql from Debian's packages"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq postgresql >/dev/null
  fi
  cluster=$(pg_lsclusters --no-header | head -n 1)
  version=$(echo "$cluster" | awk '{print $1}'); name=$(echo "$cluster" | awk '{print $2}'); port=$(echo "$cluster" | awk '{print $3}')
  if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
    echo "==> starting PostgreSQL $version/$name on port $port"
    if [ "$(id -u)" = 0 ]; then pg_ctlcluster "$version" "$name" start; else sudo pg_ctlcluster "$version" "$name" start; fi
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
  fi
  as_postgres "psql -q -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='calendarconnect_test'\" | grep -q 1 || psql -q -p $port -c \"CREATE ROLE calendarconnect_test LOGIN CREATEDB PASSWORD 'calendarconnect_test'\""
  export CALENDARCONNECT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=calendarconnect_test;Password=calendarconnect_test;Database=postgres"
fi

# The official MCP conformance suite and inspector, with the Node 22 they need, pinned in tools/mcp-conformance.
# npm ci only when node_modules is missing or was installed from another lock file (stamp copied after install).
export CALENDARCONNECT_MCP_TOOLS="$(pwd)/tools/mcp-conformance"
if ! cmp -s "$CALENDARCONNECT_MCP_TOOLS/package-lock.json" "$CALENDARCONNECT_MCP_TOOLS/node_modules/.installed-lock.json"; then
  echo "==> npm ci in tools/mcp-conformance"
  (cd "$CALENDARCONNECT_MCP_TOOLS" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null \
    && cp package-lock.json node_modules/.installed-lock.json)
fi

echo "==> dotnet test"
results_dir="$(pwd)/TestResults"
rm -rf "$results_dir"
status=0
dotnet test --solution CalendarConnect.slnx --results-directory "$results_dir" --report-xunit-trx || status=$?

# One plain closing line that any CI reader understands, summed over every test project's TRX report.
python3 - "$results_dir" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
failures = []
for f in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    root = ET.parse(f).getroot()
    c = root.find("t:ResultSummary/t:Counters", ns)
    if c is None: continue
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    skipped += int(c.get("notExecuted", 0))
    for r in root.iterfind(".//t:UnitTestResult", ns):
        if r.get("outcome") in ("Failed", "Error", "Timeout"):
            message = r.findtext("t:Output/t:ErrorInfo/t:Message", "", ns).strip().splitlines()
            # The test's own line that failed, so that a tail-only CI log still says which step it was.
            trace = r.findtext("t:Output/t:ErrorInfo/t:StackTrace", "", ns).splitlines()
            where = next((l.split(" in ")[-1].split("/")[-1] for l in trace if "/tests/" in l and ":line " in l), "")
            failures.append(f"{r.get('testName')}: {message[0][:300] if message else r.get('outcome')}" + (f" (at {where})" if where else ""))
# The failed tests are named again last, where a CI log's tail (often all a reader sees) still shows them.
for line in failures:
    print(f"FAILED {line}")
print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
