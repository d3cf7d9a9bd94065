"""pandas.read_csv on the ingest file, timed like ../shared/peers/bench_ingest.py (warm page cache,
median of RUNS runs, default 3). Prints one JSON line. Needs Debian's python3-pandas.
usage: pandas_ingest.py FILE [RUNS] [WARMUP]  (WARMUP untimed runs first: a fresh interpreter's first
read_csv is much slower, and the peers' figures take the median of warm runs)"""
import json
import statistics
import sys
import time

import pandas as pd

path = sys.argv[1]
with open(path, "rb") as f:  # warm the page cache
    f.read()
times, rows = [], 0
for _ in range(int(sys.argv[3]) if len(sys.argv) > 3 else 0):
    pd.read_csv(path)
for _ in range(int(sys.argv[2]) if len(sys.argv) > 2 else 3):
    t0 = time.perf_counter()
    rows = len(pd.read_csv(path))
    times.append(time.perf_counter() - t0)
s = statistics.median(times)
import os
mb = os.path.getsize(path) / 1e6
print(json.dumps({"bench": "ingest", "engine": "pandas-c", "pandas": pd.__version__, "mb": mb, "rows": rows,
                  "seconds": s, "runs": [round(t, 4) for t in times], "mbPerSecond": mb / s, "rowsPerSecond": rows / s}))
