"""Count tokens of every document with an offline tokenizer and write the final dataset: Parquet per language
(OUTPUT/<lang>/) with the FinePDFs columns, token_count included; optionally datatrove's tokenized shards
(.ds, for training) in `tokenized_output`.
"""

from __future__ import annotations


def build(run):
    from shared.runner import UsageError
    from stages.tokenize.steps import CountTokens, LiveOnly, resolve_tokenizer

    settings = run.settings
    try:
        tokenizer_path = resolve_tokenizer(settings["tokenizer"], run.config)
    except FileNotFoundError as error:
        raise UsageError(f"tokenize: {error}") from None
    steps = [
        run.reader(),
        CountTokens(tokenizer_path, batch_size=settings["batch_size"]),
        run.writer(),
    ]
    if settings["tokenized_output"]:
        from datatrove.pipeline.tokens import DocumentTokenizer

        steps += [
            LiveOnly(),
            DocumentTokenizer(settings["tokenized_output"], str(tokenizer_path), eos_token=settings["eos_token"],
                              shuffle_documents=False),
        ]
    return steps
