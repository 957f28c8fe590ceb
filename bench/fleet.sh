#!/usr/bin/env bash
# What a fleet of 10, 100 and 1 000 directories costs a host (docs/BENCHMARKS.md, "A fleet"): the time to
# hold every lease, the threads and heap that takes, and the time for a second host to receive its half,
# on a real ZooKeeper (Debian's `zookeeper` package) and on a lock directory (FLEET_LOCKS=DIR to put it on
# a CephFS mount; default: this machine's disk). Prints one `fleet-scale ...` line per case.
#
#   bench/fleet.sh [zookeeper|file]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
case "$(locale charmap 2>/dev/null)" in UTF-8) ;; *) export LC_ALL=C.UTF-8 ;; esac
[ -f /usr/share/java/zookeeper.jar ] || { echo "bench/fleet.sh: needs Debian's zookeeper (apt-get install zookeeper)" >&2; exit 2; }
which=${1:-}
mvn -B -q test -Dtest="FleetScaleBench${which:+#$which}" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsurefire.reportFormat=plain 2>&1 | grep '^fleet-scale' || { echo "bench/fleet.sh: the measurement failed (mvn test -Dtest=FleetScaleBench)" >&2; exit 1; }
