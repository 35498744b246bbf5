#!/usr/bin/env bash
# Fleet start: does a fleet of the sample application, all started at the same moment on a fresh
# database, come up cleanly? Each round creates database fleet_<n>, starts N JVMs of the sample jar in
# run-and-exit mode at once, waits for them (180 s each, then kill -9), records their exit codes and
# the first ERROR line of each failed one, checks that every changeset and data migration ran exactly
# once, then drops the database. Prints a summary at the end; per-JVM logs stay in a temp directory.
#
#   benchmarks/fleet-start.sh <postgres|mariadb> [instances=10] [rounds=10]
#
# Pools of 4 keep ten JVMs (and their lock connections) within PostgreSQL's default 100 connections.
# Needs the development servers of README.md: PostgreSQL on 127.0.0.1:5432 (postgres, trust) or
# MariaDB on 127.0.0.1:3306 (root, no password), psql or mysql on the PATH, and java 17.
set -uo pipefail
DB=${1:?usage: $0 <postgres|mariadb> [instances] [rounds]}; N=${2:-10}; ROUNDS=${3:-10}; BOUND=180
cd "$(dirname "$0")/.."
case $DB in
	postgres) URL=jdbc:postgresql://127.0.0.1:5432; USER=postgres; DCL=databasechangelog
		admin() { psql -q -h 127.0.0.1 -U postgres -d postgres -c "$1" >/dev/null; }
		sql() { psql -qtA -h 127.0.0.1 -U postgres -d "$1" -c "$2"; } ;;
	mariadb) URL=jdbc:mariadb://127.0.0.1:3306; USER=root; DCL=DATABASECHANGELOG
		admin() { mysql -h 127.0.0.1 -u root -e "$1"; }
		sql() { mysql -N -B -h 127.0.0.1 -u root "$1" -e "$2"; } ;;
	*) echo "usage: $0 <postgres|mariadb> [instances] [rounds]" >&2; exit 64 ;;
esac

# Build once. The sample's test-scoped test-jar dependency needs -DskipTests where maven.test.skip fails.
built=
for skip in -Dmaven.test.skip=true -DskipTests; do
	for offline in -o ""; do
		./mvnw -q $offline -pl sample-app -am $skip package >/dev/null 2>&1 && { built=1; break 2; }
	done
done
[ -n "$built" ] || { echo "build failed" >&2; exit 1; }
JAR=$(ls sample-app/target/*.jar | grep -v -e '-plain\.jar$' -e '\.original$' | head -1)
CHANGESETS=$(grep -c -- '- changeSet:' sample-app/src/main/resources/db/changelog/db.changelog-master.yaml)
MIGRATIONS=$(grep -l '^@DataMigration' sample-app/src/main/java/dev/datamigrate/sample/*.java | wc -l)
LOGS=$(mktemp -d /tmp/fleet-start.XXXXXX)
echo "commit $(git rev-parse --short HEAD), $DB, $N instances x $ROUNDS rounds, jar $JAR, logs $LOGS"

started=0 failed=0 dup_rounds=0 bad_rounds=0 t0=$(date +%s)
for ((r = 1; r <= ROUNDS; r++)); do
	db=fleet_$r; dir=$LOGS/round-$r; mkdir -p "$dir"
	admin "drop database if exists $db" 2>/dev/null; admin "create database $db" || exit 1
	pids=(); rs=$(date +%s)
	for ((i = 1; i <= N; i++)); do
		java -Xmx192m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$JAR" \
			--spring.datasource.url=$URL/$db --spring.datasource.username=$USER --spring.datasource.password= \
			--data-migrate.on-startup=run-and-exit --data-migrate.batch.pause=0ms --server.port=0 \
			--spring.datasource.hikari.maximum-pool-size=4 \
			--spring.main.banner-mode=off --logging.level.root=WARN >"$dir/jvm-$i.log" 2>&1 &
		pids+=($!)
	done
	ok=0 codes=() errors=()
	for ((i = 1; i <= N; i++)); do
		pid=${pids[i-1]}
		while kill -0 "$pid" 2>/dev/null && (($(date +%s) - rs < BOUND)); do sleep 0.5; done
		kill -0 "$pid" 2>/dev/null && { kill -9 "$pid"; echo "[killed after ${BOUND}s]" >>"$dir/jvm-$i.log"; }
		wait "$pid"; rc=$?
		if ((rc == 0)); then ((ok++)); else
			codes+=("jvm-$i:$rc")
			line=$(grep -m1 -E '^[^ ]+ +ERROR ' "$dir/jvm-$i.log" || grep -m1 -E 'Exception|killed' "$dir/jvm-$i.log" || tail -1 "$dir/jvm-$i.log")
			cause=$(grep -E '^Caused by: ' "$dir/jvm-$i.log" | tail -1)  # the root cause, when there is one
			errors+=("jvm-$i: ${line:0:300}${cause:+ | root ${cause:0:300}}")
		fi
	done
	((started += N, failed += N - ok))
	# Ran once? Changesets: one row per id, all of them. Migrations: SUCCEEDED at the first attempt.
	# Backfill: no null purpose, and it counted each row once. Flags: one per feature.* legacy setting.
	dup_cs=$(sql $db "select count(*) from (select id from $DCL group by id having count(*) > 1) d" 2>&1)
	cs=$(sql $db "select count(distinct id) from $DCL" 2>&1)
	mig=$(sql $db "select count(*) from data_migrations where status = 'SUCCEEDED'" 2>&1)
	retried=$(sql $db "select count(*) from data_migrations where attempts > 1" 2>&1)
	nulls=$(sql $db "select count(*) from notify_log_entries where purpose is null" 2>&1)
	rows=$(sql $db "select count(*) from notify_log_entries" 2>&1)
	counted=$(sql $db "select records_processed from data_migrations where version = '2026.03.05.1'" 2>&1)
	flags=$(sql $db "select count(*) from feature_flags" 2>&1)
	legacy=$(sql $db "select count(*) from legacy_settings where setting_key like 'feature.%'" 2>&1)
	dup=no bad=no
	[[ $dup_cs == 0 && $retried == 0 && $counted == "$rows" && $flags == "$legacy" ]] || dup=yes
	[[ $cs == "$CHANGESETS" && $mig == "$MIGRATIONS" && $nulls == 0 ]] || bad=yes
	[[ $dup == yes ]] && ((dup_rounds++)); [[ $bad == yes ]] && ((bad_rounds++))
	echo "round $r: $ok/$N exited 0 in $(($(date +%s) - rs))s; changesets $cs/$CHANGESETS (duplicated ids $dup_cs)," \
		"migrations SUCCEEDED $mig/$MIGRATIONS (retried $retried), null purpose $nulls, backfill counted" \
		"$counted of $rows rows, flags $flags/$legacy; duplicate: $dup, incomplete: $bad"
	((${#codes[@]})) && echo "  exit codes: ${codes[*]}"
	for e in "${errors[@]}"; do echo "  $e"; done
	admin "drop database $db"
done
rate=$(awk -v f=$failed -v s=$started 'BEGIN { printf "%.1f", s ? 100 * f / s : 0 }')
echo "summary: $DB, commit $(git rev-parse --short HEAD): $ROUNDS rounds, $started JVMs started, $failed failed" \
	"($rate%), $dup_rounds rounds with a duplicate changeset or migration, $bad_rounds rounds incomplete," \
	"$(($(date +%s) - t0))s; logs $LOGS"
