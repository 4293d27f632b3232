"""Tiny, randomly initialised models in the real architectures, for tests and plumbing runs (the one maker):

- ``qwen OUT``: a Qwen2.5-VL (RolmOCR's architecture) for the vLLM path and the GPU check's plumbing run. The
  real architecture and processor (so vLLM's Qwen2.5-VL code, image preprocessing and chat template all run),
  about 350k random parameters (so its text is noise). Made with ``transformers`` and ``tokenizers`` only; runs
  in the main venv or in the vLLM virtualenv (scripts/vllm-venv.sh; it imports nothing from this project).
- ``lightonocr OUT``: a LightOnOCR (LightOnOCR-2's architecture: Pixtral vision encoder + Qwen3 decoder, saved as
  vLLM reads LightOnOCR checkpoints: a Mistral3 config naming ``LightOnOCRForConditionalGeneration``, a Pixtral
  processor), about 300k random parameters, for stages/ocr/models/lightonocr-2.toml on vLLM.
- ``edu [--models-dir DIR] [--language eng_Latn]``: a ModernBERT sequence classifier with one output (the
  architecture of FinePDFs-Edu's classifiers) where the filter's edu step looks for the language's weights, so
  the scoring path runs offline in tests and `just bench` (its scores are noise).
- ``layout [--models-dir DIR]``: an RT-DETRv2 where docling expects docling-layout-heron's weights, so the
  StandardPdfPipeline runs offline (`just models-tiny`). Its layout detections are noise.

    python -m tools.tiny_models qwen models/tiny-qwen2.5-vl
    python -m tools.tiny_models lightonocr models/tiny-lightonocr
    python -m tools.tiny_models layout --models-dir models
    python -m tools.tiny_models edu --models-dir models --language eng_Latn

Nothing can be downloaded here; real weights come from `just models`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SPECIAL_TOKENS = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|image_pad|>",
    "<|video_pad|>",
]
VOCAB_SIZE = 512
# Qwen2-VL's chat shape: each image becomes <|vision_start|><|image_pad|><|vision_end|>, which the processor
# expands to one <|image_pad|> per 28x28 patch group.
CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}{% else %}"
    "{% for content in message['content'] %}"
    "{% if content['type'] == 'image' or content['type'] == 'image_url' or 'image' in content %}"
    "<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif content['type'] == 'text' %}{{ content['text'] }}{% endif %}"
    "{% endfor %}{% endif %}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
_TRAINING_TEXT = (
    "Return the plain text representation of this document as if you were reading it naturally. "
    "The quick brown fox jumps over the lazy dog. 0123456789 .,;:!?()[]{}<>-_+=/\\|@#$%^&*'\" "
)


# LightOnOCR's chat shape: the image is one <|image_pad|>, which the processor expands to one per patch group
LIGHTONOCR_CHAT_TEMPLATE = CHAT_TEMPLATE.replace("<|vision_start|><|image_pad|><|vision_end|>", "<|image_pad|>")
LIGHTONOCR_IMAGE_TOKENS = {"image_token": "<|image_pad|>", "image_break_token": "<|vision_pad|>",
                           "image_end_token": "<|vision_end|>"}


def _tokenizer(extra_specials: tuple[str, ...] = (), extra_special_tokens: dict | None = None,
               chat_template: str = CHAT_TEMPLATE):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    specials = [*SPECIAL_TOKENS, *extra_specials]

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator([_TRAINING_TEXT] * 50, trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        unk_token=None,
        additional_special_tokens=specials[1:],
        **({"extra_special_tokens": extra_special_tokens} if extra_special_tokens else {}),
    )
    fast.chat_template = chat_template
    return fast


def make_tiny_qwen25_vl(out_dir: str | Path, seed: int = 0) -> Path:
    """Write config, random weights, tokenizer and processor of a tiny Qwen2.5-VL into ``out_dir``."""
    import torch
    from transformers import (
        Qwen2_5_VLConfig,
        Qwen2_5_VLForConditionalGeneration,
        Qwen2_5_VLProcessor,
        Qwen2VLImageProcessor,
    )

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tokenizer = _tokenizer()
    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in SPECIAL_TOKENS}
    assert max(ids.values()) < VOCAB_SIZE, ids

    config = Qwen2_5_VLConfig(
        text_config=dict(
            vocab_size=VOCAB_SIZE,
            hidden_size=64,
            intermediate_size=128,
            num_hidden_layers=2,
            num_attention_heads=2,
            num_key_value_heads=1,
            head_dim=32,
            max_position_embeddings=8192,
            rope_parameters={"rope_type": "default", "rope_theta": 1000000.0, "mrope_section": [4, 6, 6]},
            rope_scaling={"type": "mrope", "mrope_section": [4, 6, 6]},
            bos_token_id=ids["<|endoftext|>"],
            eos_token_id=ids["<|im_end|>"],
            pad_token_id=ids["<|endoftext|>"],
            tie_word_embeddings=False,
        ),
        vision_config=dict(
            depth=2,
            hidden_size=32,
            intermediate_size=64,
            num_heads=2,
            out_hidden_size=64,
            patch_size=14,
            spatial_merge_size=2,
            temporal_patch_size=2,
            window_size=112,
            fullatt_block_indexes=[1],
            in_channels=3,
        ),
        image_token_id=ids["<|image_pad|>"],
        video_token_id=ids["<|video_pad|>"],
        vision_start_token_id=ids["<|vision_start|>"],
        vision_end_token_id=ids["<|vision_end|>"],
        bos_token_id=ids["<|endoftext|>"],
        eos_token_id=ids["<|im_end|>"],
        pad_token_id=ids["<|endoftext|>"],
        tie_word_embeddings=False,
    )
    torch.manual_seed(seed)
    model = Qwen2_5_VLForConditionalGeneration(config).to(torch.bfloat16)
    model.generation_config.eos_token_id = ids["<|im_end|>"]
    model.generation_config.pad_token_id = ids["<|endoftext|>"]
    model.save_pretrained(out)

    image_processor = Qwen2VLImageProcessor(
        patch_size=14, merge_size=2, temporal_patch_size=2, min_pixels=56 * 28 * 28, max_pixels=2048 * 28 * 28
    )
    processor_kwargs = dict(image_processor=image_processor, tokenizer=tokenizer, chat_template=CHAT_TEMPLATE)
    try:
        from transformers import Qwen2VLVideoProcessor

        Qwen2_5_VLProcessor(**processor_kwargs, video_processor=Qwen2VLVideoProcessor()).save_pretrained(out)
    except (ImportError, AttributeError, ValueError):
        # no torchvision here (video processors unavailable): save the parts; AutoProcessor assembles them
        image_processor.save_pretrained(out)
        tokenizer.save_pretrained(out)
    (out / "chat_template.jinja").write_text(CHAT_TEMPLATE)
    (out / "FINEPDFS_TINY_MODEL.json").write_text(
        json.dumps({"what": "random weights, for plumbing tests only", "parameters": model.num_parameters()})
    )
    return out


def make_tiny_lightonocr(out_dir: str | Path, seed: int = 0) -> Path:
    """Write a tiny, randomly initialised LightOnOCR (Pixtral encoder + Qwen3 decoder) into ``out_dir``."""
    import torch
    from transformers import (
        LightOnOcrConfig,
        LightOnOcrForConditionalGeneration,
        PixtralImageProcessor,
        PixtralProcessor,
    )

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tokenizer = _tokenizer(("<|vision_pad|>",), LIGHTONOCR_IMAGE_TOKENS, LIGHTONOCR_CHAT_TEMPLATE)
    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in (*SPECIAL_TOKENS, "<|vision_pad|>")}
    assert max(ids.values()) < VOCAB_SIZE, ids
    config = LightOnOcrConfig(
        text_config=dict(
            model_type="qwen3", vocab_size=VOCAB_SIZE, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
            num_attention_heads=2, num_key_value_heads=1, head_dim=32, max_position_embeddings=8192,
            bos_token_id=ids["<|endoftext|>"], eos_token_id=ids["<|im_end|>"], pad_token_id=ids["<|endoftext|>"],
            tie_word_embeddings=False,
        ),
        vision_config=dict(model_type="pixtral", hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                           num_attention_heads=2, head_dim=16, patch_size=14, image_size=1540),
        spatial_merge_size=2,
        image_token_id=ids["<|image_pad|>"],
        tie_word_embeddings=False,
    )
    torch.manual_seed(seed)
    model = LightOnOcrForConditionalGeneration(config).to(torch.bfloat16)
    model.generation_config.eos_token_id = ids["<|im_end|>"]
    model.save_pretrained(out)
    processor = dict(patch_size=14, spatial_merge_size=2, **LIGHTONOCR_IMAGE_TOKENS)
    image_processor = dict(patch_size={"height": 14, "width": 14}, size={"longest_edge": 1540})
    try:
        PixtralProcessor(image_processor=PixtralImageProcessor(**image_processor), tokenizer=tokenizer,
                         chat_template=LIGHTONOCR_CHAT_TEMPLATE, **processor).save_pretrained(out)
    except ImportError:  # no torchvision here (PixtralProcessor needs it): the same files, written directly
        tokenizer.save_pretrained(out)
        defaults = dict(do_convert_rgb=True, do_normalize=True, do_pad=True, do_rescale=True, do_resize=True,
                        image_mean=[0.48145466, 0.4578275, 0.40821073], resample=3, rescale_factor=1 / 255,
                        image_std=[0.26862954, 0.26130258, 0.27577711])  # PixtralImageProcessor's defaults
        (out / "processor_config.json").write_text(json.dumps({
            "processor_class": "PixtralProcessor", **processor,
            "image_processor": {"image_processor_type": "PixtralImageProcessor", **defaults, **image_processor},
        }, indent=2))
    (out / "chat_template.jinja").write_text(LIGHTONOCR_CHAT_TEMPLATE)
    # vLLM reads LightOnOCR checkpoints as Mistral3 configurations that name LightOnOCR's architecture
    saved = json.loads((out / "config.json").read_text())
    saved.update(model_type="mistral3", architectures=["LightOnOCRForConditionalGeneration"],
                 image_token_index=ids["<|image_pad|>"], projector_hidden_act="gelu",
                 multimodal_projector_bias=False, vision_feature_layer=-1)
    (out / "config.json").write_text(json.dumps(saved, indent=1))
    (out / "FINEPDFS_TINY_MODEL.json").write_text(
        json.dumps({"what": "random weights, for plumbing tests only", "parameters": model.num_parameters()})
    )
    return out


# The heron checkpoint's id2label: DocLayNet's 11 classes + 6 more, spelled as DocItemLabel values
# (docling maps each name with DocItemLabel[name.upper()] and refuses unknown ones).
HERON_LABELS = (
    "caption", "footnote", "formula", "list_item", "page_footer", "page_header", "picture",
    "section_header", "table", "text", "title", "document_index", "code", "checkbox_selected",
    "checkbox_unselected", "form", "key_value_region",
)  # fmt: skip
# The heron preprocessor: plain 640x640 resize + 1/255 rescale, no mean/std normalisation.
HERON_PREPROCESSOR = {
    "do_resize": True,
    "size": {"height": 640, "width": 640},
    "resample": 2,
    "do_rescale": True,
    "rescale_factor": 1 / 255,
    "do_normalize": False,
    "do_pad": False,
}




def make_tiny_layout_model(models_dir: Path, seed: int = 0) -> Path:
    """Write a tiny, randomly initialised RT-DETRv2 checkpoint where docling expects heron's weights.

    Same architecture class, label map and preprocessor as the real model, about 0.3M parameters:
    deterministic for a given seed, its detections are noise. For tests and offline plumbing only."""
    import torch
    from transformers import (
        RTDetrImageProcessor,
        RTDetrResNetConfig,
        RTDetrV2Config,
        RTDetrV2ForObjectDetection,
    )

    from stages.extract_docling.docling_model import LAYOUT_FILES, layout_model_folder

    folder = layout_model_folder(models_dir)
    folder.mkdir(parents=True, exist_ok=True)
    backbone = RTDetrResNetConfig(
        embedding_size=8,
        hidden_sizes=[8, 16, 24, 32],
        depths=[1, 1, 1, 1],
        layer_type="basic",
        out_features=["stage2", "stage3", "stage4"],
    )
    config = RTDetrV2Config(
        backbone_config=backbone,
        encoder_in_channels=[16, 24, 32],
        encoder_hidden_dim=32,
        encoder_ffn_dim=64,
        encoder_attention_heads=2,
        d_model=32,
        decoder_in_channels=[32, 32, 32],
        decoder_ffn_dim=64,
        decoder_attention_heads=2,
        decoder_layers=2,  # transformers ties bbox heads across decoder layers: one layer is refused
        num_queries=30,
        num_denoising=0,
        initializer_range=0.1,  # the default 0.01 collapses every query onto one box; 0.1 spreads them
        id2label=dict(enumerate(HERON_LABELS)),
        label2id={label: i for i, label in enumerate(HERON_LABELS)},
    )
    torch.manual_seed(seed)
    model = RTDetrV2ForObjectDetection(config).eval()
    # Left as initialised, every score sits below docling's 0.3 threshold and the model detects nothing.
    # A prior on "text" (and against every other class) makes it emit some detections, so docling's
    # detection -> cluster -> cell assignment path runs too, without random pictures/tables hiding text.
    text_id = HERON_LABELS.index("text")
    with torch.no_grad():
        for head in [model.model.enc_score_head, *model.model.decoder.class_embed]:
            head.bias.fill_(-4.0)
            head.bias[text_id] = 1.5
    model.save_pretrained(folder)
    # RTDetrImageProcessor falls back to its PIL backend without torchvision; the saved type is the same.
    RTDetrImageProcessor(**HERON_PREPROCESSOR).save_pretrained(folder)
    for name in LAYOUT_FILES:
        (folder / name).chmod(0o644)  # safetensors is written 0600; containers may run as another user
    n_params = sum(p.numel() for p in model.parameters())
    (folder / "README.txt").write_text(
        f"RANDOM WEIGHTS - NOT docling-layout-heron.\n\n"
        f"A tiny RT-DETRv2 ({n_params} parameters, seed {seed}) with heron's label map and preprocessor,\n"
        f"made by `python -m tools.tiny_models layout` so docling's StandardPdfPipeline runs offline in tests.\n"
        f"Its layout detections are noise. For real weights run: just models\n"
        f"config: {json.dumps({'num_labels': len(HERON_LABELS), 'num_queries': config.num_queries})}\n"
    )
    return folder


TINY_MARKER = "RANDOM WEIGHTS"

EDU_SPECIAL_TOKENS = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]


def _bert_tokenizer():
    """A small WordPiece tokenizer with BERT's special tokens and [CLS] ... [SEP] around every input."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(vocab_size=VOCAB_SIZE, special_tokens=EDU_SPECIAL_TOKENS,
                                        show_progress=False)
    tok.train_from_iterator([_TRAINING_TEXT] * 50, trainer=trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", cls_token="[CLS]", sep_token="[SEP]",
                                   pad_token="[PAD]", mask_token="[MASK]", model_max_length=2048)


def make_tiny_edu_classifier(folder: str | Path, seed: int = 0) -> Path:
    """A tiny random ModernBERT with a one-output head (FinePDFs-Edu's classifiers' architecture) in ``folder``."""
    import torch
    from transformers import ModernBertConfig, ModernBertForSequenceClassification

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = _bert_tokenizer()
    config = ModernBertConfig(
        vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=2, max_position_embeddings=2048, local_attention=64, num_labels=1,
        problem_type="regression", pad_token_id=tokenizer.pad_token_id, cls_token_id=tokenizer.cls_token_id,
        sep_token_id=tokenizer.sep_token_id, bos_token_id=tokenizer.cls_token_id,
        eos_token_id=tokenizer.sep_token_id, attn_implementation="sdpa")
    torch.manual_seed(seed)
    model = ModernBertForSequenceClassification(config).eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    for path in folder.iterdir():
        path.chmod(0o644)  # safetensors is written 0600; containers may run as another user
    n_params = sum(p.numel() for p in model.parameters())
    (folder / "README.txt").write_text(
        f"RANDOM WEIGHTS - NOT a FinePDFs-Edu classifier.\n\n"
        f"A tiny ModernBERT sequence classifier ({n_params} parameters, seed {seed}, one output), made by\n"
        f"`python -m tools.tiny_models edu` so the filter's edu step runs offline. Its scores are noise.\n"
        f"For real weights run: python -m scripts.models fetch --edu <language>\n"
    )
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="model", required=True)
    qwen = sub.add_parser("qwen", help="a tiny random Qwen2.5-VL")
    qwen.add_argument("out_dir", help="folder to write the model into (e.g. models/tiny-qwen2.5-vl)")
    lighton = sub.add_parser("lightonocr", help="a tiny random LightOnOCR (Pixtral + Qwen3)")
    lighton.add_argument("out_dir", help="folder to write the model into (e.g. models/tiny-lightonocr)")
    layout = sub.add_parser("layout", help="a tiny random layout checkpoint where docling expects heron's")
    layout.add_argument("--models-dir", default=None, help="default: $FINEPDFS_MODELS_DIR or [run] models_dir")
    layout.add_argument("--force", action="store_true", help="overwrite real weights found there")
    edu = sub.add_parser("edu", help="a tiny random ModernBERT where the filter expects a FinePDFs-Edu classifier")
    edu.add_argument("--models-dir", default=None, help="default: $FINEPDFS_MODELS_DIR or [run] models_dir")
    edu.add_argument("--language", default="eng_Latn", help="FinePDFs language code(s), comma-separated")
    for p in (qwen, lighton, layout, edu):
        p.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.model == "qwen":
        print(f"tiny Qwen2.5-VL written to {make_tiny_qwen25_vl(args.out_dir, args.seed)}")
        return 0
    if args.model == "lightonocr":
        print(f"tiny LightOnOCR written to {make_tiny_lightonocr(args.out_dir, args.seed)}")
        return 0
    from shared.config import models_dir

    root = Path(args.models_dir).resolve() if args.models_dir else models_dir()
    if args.model == "edu":
        return _make_edu(root, args.language.split(","), args.seed)
    from stages.extract_docling.docling_model import layout_model_folder, layout_weights_present

    folder = layout_model_folder(root)
    readme = folder / "README.txt"
    real = layout_weights_present(root) and not (readme.is_file() and TINY_MARKER in readme.read_text())
    if real and not args.force:
        print(f"{folder} holds real weights; not overwriting them with random ones (--force).", file=sys.stderr)
        return 1
    made = make_tiny_layout_model(root, seed=args.seed)
    print(f"tiny random layout checkpoint (NOT for real extraction) -> {made}")
    return 0


def _make_edu(root: Path, languages: list[str], seed: int) -> int:
    from shared.config import stage_settings
    from stages.filter.edu import model_folder, weights_present

    pattern = stage_settings("filter")["edu_model"]
    for language in languages:
        folder = model_folder(root, pattern, language)
        readme = folder / "README.txt"
        if weights_present(folder) and not (readme.is_file() and TINY_MARKER in readme.read_text()):
            print(f"{folder} holds real weights; not overwriting them with random ones.", file=sys.stderr)
            return 1
        print(f"tiny random edu classifier (NOT for real scores) -> {make_tiny_edu_classifier(folder, seed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
