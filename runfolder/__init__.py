"""Commands that read a finished (or running) run folder: `finepdfs report`, `release`, `inspect`, `show`.

They share one reader of a run folder (runfolder/reader.py: stage shards, the final dataset, ledgers); the stats
stage calls the report renderer at the end of a run.
"""
