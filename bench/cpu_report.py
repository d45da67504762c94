"""One wrk run's server CPU cost per request (bench/profile.sh, bench/cpu-per-request.sh).

python3 bench/cpu_report.py NAME TICKS-BEFORE TICKS-AFTER CLK_TCK SECONDS WRK-OUTPUT [us|ms]

TICKS are the server's user + system clock ticks (/proc/<pid>/stat fields 14 and 15) around the run.
"""
import re
import sys

name, before, after, hz, dur, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
unit = sys.argv[7] if len(sys.argv) > 7 else "us"
text = open(path).read()
n = int(re.search(r"(\d+) requests in", text).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
cpu = (after - before) / hz
per = f"server CPU µs/request {cpu * 1e6 / n:7.1f}" if unit == "us" else f"server CPU ms/request {cpu * 1000 / n:.3f}"
print(f"{name:10} requests/s {rps:8.0f}  {per}  cores busy {cpu / dur:.2f}  non-2xx {bad.group(1) if bad else 0}")
