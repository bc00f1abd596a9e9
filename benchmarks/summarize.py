#!/usr/bin/env python3
"""Turns the JMH and hyperfine JSON results of run.sh into the Markdown tables of BENCHMARKS.md.

Usage: summarize.py RESULTS_FOLDER ALL_JAR   (prints Markdown; missing result files are skipped)
"""
import json
import os
import statistics
import sys

folder, all_jar = sys.argv[1], sys.argv[2]
BUDGET = 6 * 1024 * 1024


def load(name):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def verdict(ok):
    return "**pass**" if ok else "**FAIL**"


def jmh_scores(data):
    scores = {}
    for row in data or []:
        name = row["benchmark"].rsplit(".", 1)[1]
        metric = row["primaryMetric"]
        alloc = row.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        error = metric["scoreError"] if isinstance(metric["scoreError"], (int, float)) else float("nan")
        scores[name] = (metric["score"], error, metric["scoreUnit"], alloc)
    return scores


out = []
hot = {t: jmh_scores(load("hotpath-%dt.json" % t)) for t in (1, 2)}
if hot[1]:
    out.append("### `resolveCredentials()` with a valid session in memory (JMH, average time per call per thread)\n")
    out.append("| provider | 1 thread | 2 threads | allocated per call (1 / 2 threads) |")
    out.append("|---|---|---|---|")
    for name in ("mfaSessionProvider", "stsGetSessionTokenCredentialsProvider", "staticCredentialsProvider", "wallClockRead"):
        cells = []
        allocs = []
        for t in (1, 2):
            s = hot[t].get(name)
            cells.append("%.2f ± %.2f %s" % (s[0], s[1], s[2]) if s else "n/a")
            allocs.append("%.3f B" % s[3] if s and s[3] is not None else "n/a")
        out.append("| `%s` | %s | %s | %s |" % (name, cells[0], cells[1], " / ".join(allocs)))
    out.append("")
    out.append("| goal | measured | result |")
    out.append("|---|---|---|")
    for t in (1, 2):
        ours, sdk, floor = (hot[t].get(n) for n in ("mfaSessionProvider", "stsGetSessionTokenCredentialsProvider", "staticCredentialsProvider"))
        if ours and sdk:
            r = ours[0] / sdk[0]
            out.append("| no slower than the SDK's `StsGetSessionTokenCredentialsProvider`, %d thread%s | %.2fx the SDK's time | %s |" % (t, "s" if t > 1 else "", r, verdict(r <= 1.0)))
        if ours and floor:
            r = ours[0] / floor[0]
            out.append("| within 2x of `StaticCredentialsProvider`, %d thread%s | %.1fx | %s |" % (t, "s" if t > 1 else "", r, verdict(r <= 2.0)))
        if ours and ours[3] is not None:
            out.append("| 0 bytes allocated per call, %d thread%s | %.3f B/op | %s |" % (t, "s" if t > 1 else "", ours[3], verdict(ours[3] < 0.5)))
    if hot[2].get("mfaSessionProvider") and hot[1].get("mfaSessionProvider"):
        r = hot[2]["mfaSessionProvider"][0] / hot[1]["mfaSessionProvider"][0]
        out.append("| scales with threads (time per call with 2 threads vs 1; 1.0 is perfect) | %.2fx | %s |" % (r, verdict(r <= 1.25)))
    out.append("")

first = jmh_scores(load("first-session.json"))
if first:
    out.append("### First session, code already given, in-process against the local STS emulator (JMH)\n")
    out.append("Both sides include building and closing their `StsClient`.\n")
    out.append("| what | time per session | vs bare `StsClient.getSessionToken` | goal: under 20% over |")
    out.append("|---|---|---|---|")
    bare = first.get("bareStsClient")
    for name in ("bareStsClient", "mfaSessionProviderMemoryCache", "mfaSessionProviderDiskCache"):
        s = first.get(name)
        if not s:
            continue
        if name == "bareStsClient" or not bare:
            out.append("| `%s` | %.2f ± %.2f %s | | |" % (name, s[0], s[1], s[2]))
        else:
            r = s[0] / bare[0]
            out.append("| `%s` | %.2f ± %.2f %s | %+.0f%% | %s |" % (name, s[0], s[1], s[2], (r - 1) * 100, verdict(r < 1.2)))
    out.append("")

process = load("process.json")
if process:
    out.append("### `credential-process` served from the disk cache, whole process (hyperfine)\n")
    results = process["results"]
    by_name = {r["command"]: r for r in results}
    aws = next((r for r in results if r["command"].startswith("aws")), None)
    out.append("| command | median | spread (IQR) | min | user + sys CPU | vs AWS CLI |")
    out.append("|---|---|---|---|---|---|")
    for r in results:
        times = sorted(r["times"])
        q = statistics.quantiles(times, n=4)
        ratio = "%.2fx" % (r["median"] / aws["median"]) if aws else "n/a"
        out.append("| %s | %.0f ms | %.0f–%.0f ms | %.0f ms | %.0f ms | %s |" % (
            r["command"], r["median"] * 1e3, q[0] * 1e3, q[2] * 1e3, min(times) * 1e3, (r["user"] + r["system"]) * 1e3, ratio))
    out.append("")
    if aws:
        ours = [r for r in results if r["command"].startswith("credential-process")]
        if ours:
            best = min(ours, key=lambda r: r["median"])
            plain = by_name.get("credential-process, JDK 17") or ours[0]
            out.append("| goal | measured | result |")
            out.append("|---|---|---|")
            for label, r in (("as installed (`java -jar`, JDK 17)", plain), ("best measured: " + best["command"], best)):
                ratio = r["median"] / aws["median"]
                out.append("| at most half the AWS CLI's wall time, %s | %.2fx | %s |" % (label, ratio, verdict(ratio <= 0.5)))
                out.append("| aim: a quarter of the AWS CLI's wall time, %s | %.2fx | %s |" % (label, ratio, verdict(ratio <= 0.25)))
            out.append("")
    launchers = [r for r in results if "install launcher" in r["command"]]
    if launchers and any(r["command"].startswith("bare JVM") for r in results):
        out.append("| goal: `credential-process` through the `install` launcher at most 2x a bare JVM printing one line"
                   " (same JDK, launcher flags) | wall | user + sys CPU | result |")
        out.append("|---|---|---|---|")
        for r in launchers:
            jdk = r["command"].rsplit(", ", 1)[-1]
            bare = by_name.get("bare JVM printing one line, %s, launcher flags" % jdk) or next(
                x for x in results if x["command"].startswith("bare JVM"))
            ratio = r["median"] / bare["median"]
            cpu, bare_cpu = r["user"] + r["system"], bare["user"] + bare["system"]
            out.append("| %s | %.2fx (%.0f ms vs %.0f ms) | %.2fx (%.0f ms vs %.0f ms) | %s |" % (
                r["command"], ratio, r["median"] * 1e3, bare["median"] * 1e3, cpu / bare_cpu, cpu * 1e3, bare_cpu * 1e3,
                verdict(ratio <= 2.0)))
        out.append("")

latency = load("serve-latency.json")
if latency:
    out.append("### `serve`: time to answer a credentials request, round trip on loopback (plain HTTP client)\n")
    out.append("The JDK's `HttpURLConnection`, %d requests each after a warm-up; the client's own time is included, so the server's share is smaller.\n" % latency["requests"])
    out.append("| client | median | 99th percentile | max | goal: median 2 ms or less |")
    out.append("|---|---|---|---|---|")
    for key, label in (("keptAlive", "one kept-alive connection (an SDK client refreshing)"),
                       ("newConnection", "a new connection each request (each `aws` process)")):
        m = latency[key]
        out.append("| %s | %.0f µs | %.0f µs | %.0f µs | %s |" % (label, m["median_us"], m["p99_us"], m["max_us"], verdict(m["median_us"] <= 2000)))
    memory = load("serve-memory.json")
    if memory:
        out.append("")
        out.append("The background server's resident memory after the requests: %.0f MiB." % (memory["rss_kib"] / 1024))
    out.append("")

cli = load("serve-cli.json")
if cli:
    out.append("### `aws sts get-caller-identity` through `serve` and through `credential_process`, paired (hyperfine)\n")
    out.append("| command | median | spread (IQR) | min | user + sys CPU |")
    out.append("|---|---|---|---|---|")
    for r in cli["results"]:
        times = sorted(r["times"])
        q = statistics.quantiles(times, n=4)
        out.append("| %s | %.0f ms | %.0f–%.0f ms | %.0f ms | %.0f ms |" % (
            r["command"], r["median"] * 1e3, q[0] * 1e3, q[2] * 1e3, min(times) * 1e3, (r["user"] + r["system"]) * 1e3))
    served = next((r for r in cli["results"] if "through serve" in r["command"]), None)
    process = next((r for r in cli["results"] if "through credential_process" in r["command"]), None)
    if served and process:
        # Measurably faster: the slower quartile through serve is below the faster quartile through credential_process.
        q_served = statistics.quantiles(sorted(served["times"]), n=4)
        q_process = statistics.quantiles(sorted(process["times"]), n=4)
        out.append("")
        out.append("| goal | measured | result |")
        out.append("|---|---|---|")
        out.append("| the CLI measurably faster through `serve` (its upper quartile below `credential_process`'s lower) | %.0f ms saved per call at the median (%.2fx the time) | %s |" % (
            (process["median"] - served["median"]) * 1e3, served["median"] / process["median"], verdict(q_served[2] < q_process[0])))
    out.append("")

if os.path.exists(all_jar):
    size = os.path.getsize(all_jar)
    out.append("### Size of the drop-in jar\n")
    out.append("| jar | size | budget | result |")
    out.append("|---|---|---|---|")
    out.append("| `%s` | %.2f MiB (%d bytes) | 6 MiB | %s |" % (os.path.basename(all_jar), size / 1048576, size, verdict(size <= BUDGET)))
    out.append("")

print("\n".join(out))
