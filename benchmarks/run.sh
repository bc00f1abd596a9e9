#!/usr/bin/env bash
# Builds the library and the benchmarks, then measures, side by side with the alternatives:
#   1. resolveCredentials() with a session in memory (JMH, 1 and 2 threads, -prof gc);
#   2. the first session with the code given, in-process against the local STS emulator (JMH);
#   3. credential-process from a warm disk cache as a whole process, against the AWS CLI and a bare JVM (hyperfine),
#      also through the launcher that `install` writes (JDK 17, and JDK 25 where installed);
#   4. serve: the time to answer a credentials request (a plain HTTP client: median, 99th percentile), and
#      `aws sts get-caller-identity` through serve against the same through credential_process, paired (hyperfine).
# Results go to benchmarks/target/results/ (JSON, logs, summary.md). Nothing touches AWS or your ~/.aws: every
# run gets a throwaway HOME with its own profile files, and sessions come from the local STS emulator.
#
# Usage: benchmarks/run.sh            everything, about 6 minutes
#        QUICK=1 benchmarks/run.sh    short runs to check that everything works, about 2 minutes
#        PARTS="serve" benchmarks/run.sh   only some parts: any of jmh, process, serve (default: all three)
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
PARTS=${PARTS:-jmh process serve}

part() { case " $PARTS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

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
cleanup() {
  # A serve part that failed half-way leaves no server or emulator running.
  if [ -n "${SERVE_HOME:-}" ] && [ -f "$SERVE_HOME/.aws/mfa-session/cache/serve/server.json" ]; then
    env -i "PATH=$PATH" "HOME=$SERVE_HOME" java -jar "$ALL_JAR" serve --stop 2> /dev/null || true
  fi
  [ -n "${SERVE_HOME_PID:-}" ] && kill "$SERVE_HOME_PID" 2> /dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
ISOLATED=(env -i "PATH=$PATH" "HOME=$WORK" "LANG=C.UTF-8" "TMPDIR=$WORK")
if part process; then
  "${ISOLATED[@]}" java -cp "$BENCH_JAR" io.github.mfasession.benchmarks.WarmCache "$WORK"
fi

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
  REQUESTS=2000
else
  HOT=()
  FIRST=()
  RUNS=(--warmup 3 --runs 30)
  REQUESTS=20000
fi

if part jmh; then
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
fi

# The whole-process comparison needs hyperfine and the AWS CLI (Debian's packages); install them when we may.
if ! command -v hyperfine >/dev/null 2>&1 || [ ! -x /usr/bin/aws ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing hyperfine and awscli"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine awscli >/dev/null) \
      || echo "Could not install hyperfine and awscli." >&2
  fi
fi
if part process && command -v hyperfine >/dev/null 2>&1 && [ -x /usr/bin/aws ]; then
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
    # The floor for the launchers: the same JDK with the launcher's flags (C1 only, JVM messages to stderr) and the JDK's own archive.
    -n "bare JVM printing one line, JDK 17, launcher flags" "java $QUIET_FAST -cp $ROOT/benchmarks/target/classes io.github.mfasession.benchmarks.PrintOneLine"
  )
  if [ -x "$JAVA25" ]; then
    COMMANDS+=(-n "bare JVM printing one line, JDK 25, launcher flags" "$JAVA25 $QUIET_FAST -cp $ROOT/benchmarks/target/classes io.github.mfasession.benchmarks.PrintOneLine")
  fi
  "${ISOLATED[@]}" hyperfine -N "${RUNS[@]}" --export-json "$RESULTS/process.json" "${COMMANDS[@]}" \
    > "$RESULTS/process.log"
elif part process; then
  echo "Skipping the whole-process comparison: it needs hyperfine and the AWS CLI (/usr/bin/aws, Debian's awscli)," \
       "and only root may install them here." >&2
fi

if part serve && command -v hyperfine >/dev/null 2>&1 && [ -x /usr/bin/aws ]; then
  wait_for_quiet "the serve comparison"
  say "serve: time to answer a credentials request, and the AWS CLI through serve against credential_process"
  SERVE_HOME=$WORK/serve-home
  mkdir -p "$SERVE_HOME"
  SERVE_ENV=(env -i "PATH=$PATH" "HOME=$SERVE_HOME" "LANG=C.UTF-8" "TMPDIR=$WORK")
  # The local STS emulator both sides call, with profiles dev and dev-process and a session in dev's disk cache;
  # it runs until its standard input (this FIFO) closes.
  mkfifo "$WORK/serve-home.stdin"
  "${SERVE_ENV[@]}" java -cp "$BENCH_JAR" io.github.mfasession.benchmarks.ServeHome "$SERVE_HOME" "$ALL_JAR" \
    < "$WORK/serve-home.stdin" > "$RESULTS/serve-home.log" 2>&1 &
  SERVE_HOME_PID=$!
  exec 9> "$WORK/serve-home.stdin"
  for _ in $(seq 600); do [ -s "$SERVE_HOME/sts-endpoint" ] && break; sleep 0.1; done
  STS=$(cat "$SERVE_HOME/sts-endpoint")
  # serve prints the lines to evaluate; only the URI and the token file's path are taken from them.
  LINES=$("${SERVE_ENV[@]}" java -jar "$ALL_JAR" serve --background --profile dev 2> "$RESULTS/serve.log")
  URI=$(printf '%s\n' "$LINES" | sed -n "s/^export AWS_CONTAINER_CREDENTIALS_FULL_URI='\(.*\)'$/\1/p")
  TOKEN_FILE=$(printf '%s\n' "$LINES" | sed -n "s/^export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE='\(.*\)'$/\1/p")
  java -cp "$BENCH_JAR" io.github.mfasession.benchmarks.ServeLatency "$URI" "$TOKEN_FILE" "$REQUESTS" \
    > "$RESULTS/serve-latency.json"
  SERVER_PID=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$SERVE_HOME/.aws/mfa-session/cache/serve/server.json")
  echo "{\"rss_kib\": $(ps -o rss= -p "$SERVER_PID" | tr -d ' ')}" > "$RESULTS/serve-memory.json"
  # Debian's AWS CLI 2.9.19 reads only AWS_CONTAINER_AUTHORIZATION_TOKEN, so a wrapper reads the file into it; the
  # credential_process side gets the same wrapper (one sh, one cat), so the pair differs only in where credentials come from.
  printf '#!/bin/sh\nexport AWS_CONTAINER_CREDENTIALS_FULL_URI=%s\nexport AWS_CONTAINER_AUTHORIZATION_TOKEN="$(cat %s)"\nexec /usr/bin/aws "$@"\n' \
    "$URI" "$TOKEN_FILE" > "$WORK/aws-through-serve"
  printf '#!/bin/sh\nexport UNUSED="$(cat %s)"\nexec /usr/bin/aws --profile dev-process "$@"\n' "$TOKEN_FILE" > "$WORK/aws-through-credential-process"
  chmod +x "$WORK/aws-through-serve" "$WORK/aws-through-credential-process"
  CALL="sts get-caller-identity --region us-east-1 --endpoint-url $STS --output text --query Arn"
  "${SERVE_ENV[@]}" hyperfine -N "${RUNS[@]}" --export-json "$RESULTS/serve-cli.json" \
    -n "aws sts get-caller-identity through serve" "$WORK/aws-through-serve $CALL" \
    -n "aws sts get-caller-identity through credential_process" "$WORK/aws-through-credential-process $CALL" \
    > "$RESULTS/serve-cli.log"
  "${SERVE_ENV[@]}" java -jar "$ALL_JAR" serve --stop 2>> "$RESULTS/serve.log"
  exec 9>&-
  wait "$SERVE_HOME_PID" || true
elif part serve; then
  echo "Skipping the serve comparison: it needs hyperfine and the AWS CLI (/usr/bin/aws, Debian's awscli)." >&2
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
