"""pandas.read_csv on the ingest file, timed like ../shared/peers/bench_ingest.py (warm page cache,
median of at least 3 runs). Prints one JSON line. Needs Debian's python3-pandas."""
import json
import statistics
import sys
import time

import pandas as pd

path = sys.argv[1]
with open(path, "rb") as f:  # warm the page cache
    f.read()
times, rows = [], 0
for _ in range(3):
    t0 = time.perf_counter()
    rows = len(pd.read_csv(path))
    times.append(time.perf_counter() - t0)
s = statistics.median(times)
import os
mb = os.path.getsize(path) / 1e6
print(json.dumps({"bench": "ingest", "engine": "pandas-c", "pandas": pd.__version__, "mb": mb, "rows": rows,
                  "seconds": s, "runs": [round(t, 4) for t in times], "mbPerSecond": mb / s, "rowsPerSecond": rows / s}))
