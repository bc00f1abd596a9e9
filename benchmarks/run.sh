#!/usr/bin/env bash
# Builds the library and the benchmarks, then measures, side by side with the alternatives:
#   1. resolveCredentials() with a session in memory (JMH, 1 and 2 threads, -prof gc);
#   2. the first session with the code given, in-process against the local STS emulator (JMH);
#   3. credential-process from a warm disk cache as a whole process, against the AWS CLI and a bare JVM (hyperfine),
#      also through the launcher that `install` writes (JDK 17, and JDK 25 where installed).
# Results go to benchmarks/target/results/ (JSON, logs, summary.md). Nothing touches AWS or your ~/.aws: every
# run gets a throwaway HOME with its own profile files, and sessions come from the local STS emulator.
#
# Usage: benchmarks/run.sh            everything, about 6 minutes
#        QUICK=1 benchmarks/run.sh    short runs to check that everything works, about 2 minutes
# Environment: WAIT_FOR_QUIET (seconds to wait, before each part, for a 1-minute load average below 0.7 and no
# Maven test run on the machine; default 0), MVN_FLAGS (extra Maven flags, such as -o), JAVA25 (a JDK 19+ java for the class-data-sharing
# comparison; default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java), MVN_LOCK (a lock file other Maven users of the
# machine share; default /tmp/mvn.lock).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RESULTS=$ROOT/benchmarks/target/results
VERSION=0.1.0-SNAPSHOT
ALL_JAR=$ROOT/provider/target/mfa-session-provider-$VERSION-all.jar
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
MVN_LOCK=${MVN_LOCK:-/tmp/mvn.lock}
QUICK=${QUICK:-}

say() { printf '\n== %s\n' "$*" >&2; }

# Other people's builds on a shared machine skew whole-process timings most: wait for them, within a bound.
wait_for_quiet() {
  local deadline=$((SECONDS + ${WAIT_FOR_QUIET:-0}))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if awk -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN { exit !(load < 0.7) }' && ! pgrep -f surefire >/dev/null; then
      break
    fi
    sleep 15
  done
  echo "load before $1: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/machine.txt"
}

# Maven holds the lock only while it builds; the measurements below run without it.
maven() {
  if command -v flock >/dev/null 2>&1; then
    flock "$MVN_LOCK" mvn -B -q ${MVN_FLAGS:-} "$@"
  else
    mvn -B -q ${MVN_FLAGS:-} "$@"
  fi
}

say "Building the library (install, tests skipped) and the benchmarks"
maven install -DskipTests
maven -f benchmarks/pom.xml package
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# A throwaway HOME with profile 'dev' (MFA) and 'plain' (keys only), and a warm session cache for 'dev'.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mfa-session-benchmarks.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
ISOLATED=(env -i "PATH=$PATH" "HOME=$WORK" "LANG=C.UTF-8" "TMPDIR=$WORK")
"${ISOLATED[@]}" java -cp "$BENCH_JAR" io.github.mfasession.benchmarks.WarmCache "$WORK"

machine() {
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
  echo "java: $(java -version 2>&1 | sed -n 2p)"
  [ -x "$JAVA25" ] && echo "java 25: $("$JAVA25" -version 2>&1 | sed -n 2p)"
  command -v hyperfine >/dev/null 2>&1 && echo "hyperfine: $(hyperfine --version)"
  [ -x /usr/bin/aws ] && echo "aws: $(/usr/bin/aws --version 2>&1)"
  return 0
}
machine > "$RESULTS/machine.txt"

if [ -n "$QUICK" ]; then
  HOT=(-wi 1 -i 2 -w 1s -r 1s)
  FIRST=(-wi 1 -i 2 -w 1s -r 1s)
  RUNS=(--warmup 1 --runs 5)
else
  HOT=()
  FIRST=()
  RUNS=(--warmup 3 --runs 30)
fi

wait_for_quiet "the JMH benchmarks (1, 5, 15 min)"
say "JMH: resolveCredentials() with a session in memory, 1 thread"
"${ISOLATED[@]}" java -jar "$BENCH_JAR" HotPathBenchmark -t 1 -prof gc "${HOT[@]}" \
  -rf json -rff "$RESULTS/hotpath-1t.json" > "$RESULTS/hotpath-1t.log"
say "JMH: resolveCredentials() with a session in memory, 2 threads"
"${ISOLATED[@]}" java -jar "$BENCH_JAR" HotPathBenchmark -t 2 -prof gc "${HOT[@]}" \
  -rf json -rff "$RESULTS/hotpath-2t.json" > "$RESULTS/hotpath-2t.log"
say "JMH: the first session, against a bare StsClient"
"${ISOLATED[@]}" java -jar "$BENCH_JAR" FirstSessionBenchmark "${FIRST[@]}" \
  -rf json -rff "$RESULTS/first-session.json" > "$RESULTS/first-session.log"

# The whole-process comparison needs hyperfine and the AWS CLI (Debian's packages); install them when we may.
if ! command -v hyperfine >/dev/null 2>&1 || [ ! -x /usr/bin/aws ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing hyperfine and awscli"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine awscli >/dev/null) \
      || echo "Could not install hyperfine and awscli." >&2
  fi
fi
if command -v hyperfine >/dev/null 2>&1 && [ -x /usr/bin/aws ]; then
  wait_for_quiet "the whole-process comparison"
  say "Whole process: credential-process from the disk cache, the AWS CLI, a bare JVM"
  CP="credential-process --profile dev"
  # The README's optional flags: JVM warnings (such as a stale archive's) go to stderr, never into the JSON on
  # stdout, and only the quick C1 compiler runs, which on few cores leaves the CPUs to the work itself.
  QUIET_FAST="-Xlog:disable -Xlog:all=warning:stderr -XX:TieredStopAtLevel=1"
  # A class-data-sharing archive, made by a training run of the same command (JDK 13+).
  "${ISOLATED[@]}" java -XX:ArchiveClassesAtExit="$WORK/credential-process-17.jsa" -jar "$ALL_JAR" $CP \
    > /dev/null 2> "$RESULTS/cds-17.log"
  # The launcher `install` writes, and its first run, which makes its class-data-sharing archive.
  "${ISOLATED[@]}" java -jar "$ALL_JAR" install --profile dev > "$RESULTS/install-17.log"
  LAUNCHER_17=$WORK/.aws/mfa-session/bin/mfa-session-provider
  "${ISOLATED[@]}" "$LAUNCHER_17" $CP > /dev/null 2> "$RESULTS/launcher-17.log"
  COMMANDS=(
    -n "credential-process, JDK 17" "java -jar $ALL_JAR $CP"
    -n "credential-process through the install launcher, JDK 17" "$LAUNCHER_17 $CP"
    -n "credential-process, JDK 17, CDS archive" "java -XX:SharedArchiveFile=$WORK/credential-process-17.jsa -jar $ALL_JAR $CP"
    -n "credential-process, JDK 17, CDS archive, C1 only" "java -XX:SharedArchiveFile=$WORK/credential-process-17.jsa $QUIET_FAST -jar $ALL_JAR $CP"
  )
  if [ -x "$JAVA25" ]; then
    # JDK 19+ makes (and after a JDK or jar change remakes) the archive itself, on the first run.
    "${ISOLATED[@]}" "$JAVA25" -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$WORK/credential-process-25.jsa" \
      -jar "$ALL_JAR" $CP > /dev/null 2> "$RESULTS/cds-25.log"
    # JDK 24+ keeps classes loaded and linked, not just parsed, in an AOT cache made by a training run.
    "${ISOLATED[@]}" "$JAVA25" -XX:AOTCacheOutput="$WORK/credential-process-25.aot" -jar "$ALL_JAR" $CP \
      > /dev/null 2> "$RESULTS/aot-25.log"
    "${ISOLATED[@]}" "$JAVA25" -jar "$ALL_JAR" install --profile dev --dir "$WORK/bin-25" > "$RESULTS/install-25.log"
    "${ISOLATED[@]}" "$WORK/bin-25/mfa-session-provider" $CP > /dev/null 2> "$RESULTS/launcher-25.log"
    # On JDK 25 the launcher makes its ahead-of-time cache in the background, from the first run's record.
    for _ in $(seq 1 120); do
      ls "$WORK/bin-25"/*.record > /dev/null 2>&1 || break
      sleep 0.5
    done
    COMMANDS+=(
      -n "credential-process through the install launcher, JDK 25" "$WORK/bin-25/mfa-session-provider $CP"
      -n "credential-process, JDK 25" "$JAVA25 -jar $ALL_JAR $CP"
      -n "credential-process, JDK 25, AutoCreateSharedArchive, C1 only" "$JAVA25 -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$WORK/credential-process-25.jsa $QUIET_FAST -jar $ALL_JAR $CP"
      -n "credential-process, JDK 25, AOT cache, C1 only" "$JAVA25 -XX:AOTCache=$WORK/credential-process-25.aot $QUIET_FAST -jar $ALL_JAR $CP"
    )
  fi
  COMMANDS+=(
    -n "aws configure export-credentials (AWS CLI)" "/usr/bin/aws configure export-credentials --profile plain --format process"
    -n "bare JVM printing one line, JDK 17" "java -cp $ROOT/benchmarks/target/classes io.github.mfasession.benchmarks.PrintOneLine"
  )
  "${ISOLATED[@]}" hyperfine -N "${RUNS[@]}" --export-json "$RESULTS/process.json" "${COMMANDS[@]}" \
    > "$RESULTS/process.log"
else
  echo "Skipping the whole-process comparison: it needs hyperfine and the AWS CLI (/usr/bin/aws, Debian's awscli)," \
       "and only root may install them here." >&2
fi

{
  echo '```'
  cat "$RESULTS/machine.txt"
  echo "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo '```'
  echo
  if command -v python3 >/dev/null 2>&1; then
    python3 benchmarks/summarize.py "$RESULTS" "$ALL_JAR"
  else
    echo "(python3 is missing: see the JSON and logs in $RESULTS)"
  fi
} > "$RESULTS/summary.md"
say "Summary: $RESULTS/summary.md"
cat "$RESULTS/summary.md"
