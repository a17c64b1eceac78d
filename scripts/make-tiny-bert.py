#!/usr/bin/python3
"""Generate a random-weight BERT encoder that @xenova/transformers (2.17) loads like a real one.

No model weights can be downloaded here, so the neural embedder is tested on a model the project
makes itself: the same files, layout and inputs as a transformers.js export (config.json,
tokenizer.json, tokenizer_config.json, onnx/model.onnx with inputs input_ids, attention_mask,
token_type_ids and output last_hidden_state, dynamic batch and sequence axes, opset 14). The
weights are random (fixed seed), so the vectors mean nothing; only the code path is real.

Run it with Debian's interpreter, which has python3-torch and python3-onnx (the `python3` first on
PATH may be another one without them).

1. The committed test fixture (2 layers, hidden 32, 2 heads, ~0.4 MB), from the repo root:

       /usr/bin/python3 scripts/make-tiny-bert.py

   writes test/fixtures/tiny-bert/report-qa/tiny-bge-small-zh/. Its vocabulary is
   [PAD] [UNK] [CLS] [SEP] [MASK], every character of seeds/*.txt, ASCII digits and letters (and
   their ##-continuations), so each CJK character is one token as with bert-base-chinese.

2. A model with bge-small-zh-v1.5's architecture for the benchmark (BERT, 4 layers, hidden 512,
   8 heads, intermediate 2048, vocab 21128, 512 positions; ~95 MB, never commit it):

       /usr/bin/python3 scripts/make-tiny-bert.py --out /tmp/bench-models \\
           --model-id Xenova/bge-small-zh-v1.5 --layers 4 --hidden 512 --heads 8 \\
           --intermediate 2048 --vocab-size 21128 --max-positions 512

   then MODEL_DIR=/tmp/bench-models EMBEDDER=neural uses it (fp32 only: the loader sees no
   onnx/model_quantized.onnx and loads onnx/model.onnx). The vocabulary is padded to
   --vocab-size with CJK ideographs in code-point order, then [unusedN] tokens.
"""

import argparse
import json
import math
import os
import string
import sys

import onnx
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=os.path.join(ROOT, "test", "fixtures", "tiny-bert"),
                   help="model folder root (MODEL_DIR); files go to OUT/<model-id>/")
    p.add_argument("--model-id", default="report-qa/tiny-bge-small-zh", help="org/name")
    p.add_argument("--seeds-dir", default=os.path.join(ROOT, "seeds"),
                   help="folder whose *.txt characters form the vocabulary")
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--heads", type=int, default=2)
    p.add_argument("--intermediate", type=int, default=64)
    p.add_argument("--max-positions", type=int, default=512)
    p.add_argument("--vocab-size", type=int, default=0,
                   help="pad the vocabulary to this size (0: no padding)")
    p.add_argument("--seed", type=int, default=20240607)
    args = p.parse_args()
    if args.hidden % args.heads != 0:
        p.error("--hidden must be a multiple of --heads")
    return args


def build_vocab(seeds_dir, vocab_size):
    """Special tokens, seed characters (lower-cased, as the normalizer sees them), ASCII."""
    chars = set()
    for name in sorted(os.listdir(seeds_dir)):
        if name.endswith(".txt"):
            with open(os.path.join(seeds_dir, name), encoding="utf-8") as f:
                chars.update(c for c in f.read().lower() if not c.isspace() and c.isprintable())
    ascii_units = string.digits + string.ascii_lowercase
    chars.update(ascii_units)
    vocab = SPECIAL + sorted(chars) + ["##" + c for c in ascii_units]
    if vocab_size:
        if vocab_size < len(vocab):
            sys.exit(f"--vocab-size {vocab_size} is below the {len(vocab)} tokens needed")
        present = set(vocab)
        cp = 0x4E00
        while len(vocab) < vocab_size and cp <= 0x9FFF:
            if chr(cp) not in present:
                vocab.append(chr(cp))
            cp += 1
        vocab += [f"[unused{i}]" for i in range(vocab_size - len(vocab))]
    return vocab


def tokenizer_json(vocab):
    """A WordPiece tokenizer with bert-base-chinese's normalizer and pre-tokenizer settings."""
    ids = {tok: i for i, tok in enumerate(vocab)}
    cls, sep = ids["[CLS]"], ids["[SEP]"]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": ids[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for t in SPECIAL
        ],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [cls], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [sep], "tokens": ["[SEP]"]},
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": ids},
    }


class Layer(nn.Module):
    def __init__(self, hidden, heads, intermediate):
        super().__init__()
        self.heads = heads
        self.scale = 1.0 / math.sqrt(hidden // heads)
        self.q = nn.Linear(hidden, hidden)
        self.k = nn.Linear(hidden, hidden)
        self.v = nn.Linear(hidden, hidden)
        self.o = nn.Linear(hidden, hidden)
        self.ln1 = nn.LayerNorm(hidden, eps=1e-12)
        self.up = nn.Linear(hidden, intermediate)
        self.down = nn.Linear(intermediate, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=1e-12)

    def split(self, x):
        b, s, h = x.size(0), x.size(1), x.size(2)
        return x.reshape(b, s, self.heads, h // self.heads).transpose(1, 2)

    def forward(self, x, mask_bias):
        q, k, v = self.split(self.q(x)), self.split(self.k(x)), self.split(self.v(x))
        scores = q @ k.transpose(-1, -2) * self.scale + mask_bias
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(x.size())
        x = self.ln1(x + self.o(ctx))
        return self.ln2(x + self.down(nn.functional.gelu(self.up(x))))


class TinyBert(nn.Module):
    def __init__(self, vocab_size, a):
        super().__init__()
        self.word = nn.Embedding(vocab_size, a.hidden)
        self.position = nn.Embedding(a.max_positions, a.hidden)
        self.token_type = nn.Embedding(2, a.hidden)
        self.ln = nn.LayerNorm(a.hidden, eps=1e-12)
        self.layers = nn.ModuleList(Layer(a.hidden, a.heads, a.intermediate) for _ in range(a.layers))
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.bias, std=0.02)

    def forward(self, input_ids, attention_mask, token_type_ids):
        positions = torch.arange(input_ids.size(1)).unsqueeze(0)
        x = self.ln(self.word(input_ids) + self.position(positions) + self.token_type(token_type_ids))
        mask_bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, mask_bias)
        return x


def main():
    a = parse_args()
    torch.manual_seed(a.seed)
    vocab = build_vocab(a.seeds_dir, a.vocab_size)
    folder = os.path.join(a.out, *a.model_id.split("/"))
    os.makedirs(os.path.join(folder, "onnx"), exist_ok=True)

    model = TinyBert(len(vocab), a).eval()
    sample = (torch.tensor([[2, 10, 11, 3], [2, 12, 3, 0]]), torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]]),
              torch.zeros(2, 4, dtype=torch.long))
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "sequence"} for n in names + ["last_hidden_state"]}
    onnx_path = os.path.join(folder, "onnx", "model.onnx")
    with torch.no_grad():
        torch.onnx.export(model, sample, onnx_path, input_names=names, output_names=["last_hidden_state"],
                          dynamic_axes=axes, opset_version=14, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(onnx_path))

    config = {
        "_name_or_path": a.model_id, "architectures": ["BertModel"], "model_type": "bert",
        "vocab_size": len(vocab), "hidden_size": a.hidden, "num_hidden_layers": a.layers,
        "num_attention_heads": a.heads, "intermediate_size": a.intermediate, "hidden_act": "gelu",
        "max_position_embeddings": a.max_positions, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
        "pad_token_id": 0, "initializer_range": 0.02, "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0, "position_embedding_type": "absolute",
    }
    tokenizer_config = {
        "tokenizer_class": "BertTokenizer", "do_lower_case": True, "tokenize_chinese_chars": True,
        "strip_accents": None, "model_max_length": a.max_positions, "clean_up_tokenization_spaces": True,
        "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]",
        "mask_token": "[MASK]",
    }
    for name, data in [("config.json", config), ("tokenizer.json", tokenizer_json(vocab)),
                       ("tokenizer_config.json", tokenizer_config)]:
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1 if name != "tokenizer.json" else None)
            f.write("\n")

    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(folder) for f in fs)
    print(f"wrote {folder}: vocab {len(vocab)}, {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
