"""The soak: a generated hostile corpus through `finepdfs run` and Slurm, every input accounted for (run.py)."""
