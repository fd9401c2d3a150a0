// An empty script: the baseline for the cold-start benchmark.
