"""The reference stack doing what `flowsight replay --speed max` does, minus storing alerts: read the
CICFlowMeter CSV with pandas, take the feature columns the peers use (../shared/peers/common.py:
CIC_DROP), predict with scikit-learn ExtraTrees(100) trained on the corrected CICIDS2017 sample's
stratified 70% (seed 42), count the flows predicted as an attack. Warm page cache; one untimed
warm-up, then the median of RUNS timed runs. Prints one JSON line.
usage: sklearn_replay.py DATASETS_DIR FILE [RUNS]"""
import glob
import json
import os
import statistics
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.model_selection import train_test_split

datasets, path = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
DROP = ["id", "Flow ID", "Src IP", "Src Port", "Dst IP", "Timestamp", "Attempted Category"]

sample = pd.concat([pd.read_csv(f) for f in sorted(glob.glob(os.path.join(datasets, "cicids2017-improved-sample/*.csv")))], ignore_index=True)
labels = sample["Label"].astype(str)
X = sample.drop(columns=DROP + ["Label"]).to_numpy(dtype=np.float32)
X[~np.isfinite(X)] = 0.0
classes = sorted(labels.unique(), key=lambda c: (c != "BENIGN", c))
y = labels.map({c: i for i, c in enumerate(classes)}).to_numpy()
Xtr, _, ytr, _ = train_test_split(X, y, test_size=0.3, stratify=y, random_state=42)
clf = ExtraTreesClassifier(n_estimators=100, n_jobs=-1, random_state=42).fit(Xtr, ytr)


def replay():
    df = pd.read_csv(path)
    Xs = df.drop(columns=DROP + ["Label"]).to_numpy(dtype=np.float32)
    Xs[~np.isfinite(Xs)] = 0.0
    pred = clf.predict(Xs)
    return len(df), int((pred != 0).sum())


with open(path, "rb") as f:  # warm the page cache
    f.read()
replay()
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    flows, flagged = replay()
    times.append(time.perf_counter() - t0)
s = statistics.median(times)
print(json.dumps({"bench": "replay", "engine": "pandas+sklearn", "flows": flows, "flagged": flagged, "seconds": s,
                  "runs": [round(t, 3) for t in times], "flowsPerSecond": flows / s}))
