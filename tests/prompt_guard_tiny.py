"""Builds tiny, real DeBERTa-v2 sequence classifiers and tokenizers for the PromptGuard tests.

Two flavours:

- ``trigger``: weights set by hand so that one token drives the malicious logit whatever its position.
  Embeddings are zero-mean with 0 in dims 0 and 1, except the trigger words ("ignore" -> dim 0,
  "jailbreak" -> dim 1); query/key projections are zero, so attention is a uniform mean over the window and
  the [CLS] state carries dim 0/1 only when a trigger is in its window. The head reads those dims.
- ``random``: every weight random (seeded): the real attention path, padding and relative positions matter,
  which is what batch-vs-single and thread-safety tests need.

Everything is saved with ``save_pretrained`` (safetensors) plus a WordLevel tokenizer wrapped as a
transformers fast tokenizer, so loading goes through the same code as a hub model.
"""

from __future__ import annotations

from pathlib import Path

BENIGN_WORDS = ["the", "a", "of", "to", "and", "in", "is", "it", "for", "on", "with", "as", "was", "at", "by", "this", "that", "from", "be", "are", "or", "an", "weather", "report", "meeting", "notes", "budget", "quarterly", "sales", "customer", "invoice", "project", "summary", "please", "review", "attached", "thanks", "schedule", "lunch", "today", "tomorrow", "team", "update"]
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
TRIGGERS = ["ignore", "jailbreak"]


def vocab() -> dict[str, int]:
    words = SPECIALS + BENIGN_WORDS + TRIGGERS
    return {w: i for i, w in enumerate(dict.fromkeys(words))}


def build_tokenizer():
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    v = vocab()
    tok = Tokenizer(models.WordLevel(v, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", v["[CLS]"]), ("[SEP]", v["[SEP]"])]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token="[PAD]", unk_token="[UNK]", cls_token="[CLS]", sep_token="[SEP]",
        model_max_length=512,
    )


def build_config(num_labels: int = 2, *, hidden: int = 32, layers: int = 2, heads: int = 4):
    from transformers import DebertaV2Config

    labels = {2: ["BENIGN", "MALICIOUS"], 3: ["BENIGN", "INJECTION", "JAILBREAK"]}[num_labels]
    return DebertaV2Config(
        vocab_size=len(vocab()),
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=hidden * 2,
        max_position_embeddings=512,
        relative_attention=True,
        position_buckets=256,
        norm_rel_ebd="layer_norm",
        share_att_key=True,
        pos_att_type=["p2c", "c2p"],
        position_biased_input=False,
        type_vocab_size=0,
        pad_token_id=0,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
        pooler_hidden_size=hidden,
        pooler_hidden_act="gelu",
        num_labels=num_labels,
        id2label=dict(enumerate(labels)),
        label2id={name: i for i, name in enumerate(labels)},
    )


def _set_trigger_weights(model, num_labels: int) -> None:
    import torch

    v = vocab()
    gen = torch.Generator().manual_seed(7)
    with torch.no_grad():
        emb = model.deberta.embeddings.word_embeddings.weight
        hidden = emb.shape[1]
        base = torch.randn(emb.shape, generator=gen)
        base[:, :2] = 0.0
        base[:, 2:] -= base[:, 2:].mean(dim=1, keepdim=True)
        for dim, word in enumerate(TRIGGERS):
            base[v[word]] = 0.0
            base[v[word], dim] = 4.0
            base[v[word], 2:] = -4.0 / (hidden - 2)
            base[v[word], 1 - dim] = 0.0
        # every row is zero-mean, so LayerNorm leaves dims 0/1 at exactly 0 for benign tokens
        emb.copy_(base)
        eye = torch.eye(hidden)
        for layer in model.deberta.encoder.layer:
            att = layer.attention.self
            for proj in (att.query_proj, att.key_proj):
                proj.weight.zero_()
                proj.bias.zero_()
            att.value_proj.weight.copy_(eye)
            att.value_proj.bias.zero_()
            layer.attention.output.dense.weight.copy_(eye)
            layer.attention.output.dense.bias.zero_()
            layer.output.dense.weight.zero_()
            layer.output.dense.bias.zero_()
        model.pooler.dense.weight.copy_(eye)
        model.pooler.dense.bias.zero_()
        head = model.classifier
        head.weight.zero_()
        head.bias.zero_()
        head.weight[1, 0] = 3000.0
        head.bias[1] = -4.0
        if num_labels == 3:
            head.weight[2, 1] = 3000.0
            head.bias[2] = -4.0


def build_model(
    folder: Path, *, num_labels: int = 2, flavour: str = "trigger", seed: int = 0, layers: int = 2, heads: int = 4,
    hidden: int = 32,
) -> Path:
    """Save a tiny classifier + tokenizer into ``folder`` (created); return the folder."""
    import torch
    from transformers import DebertaV2ForSequenceClassification

    torch.manual_seed(seed)
    model = DebertaV2ForSequenceClassification(build_config(num_labels, layers=layers, heads=heads, hidden=hidden))
    if flavour == "trigger":
        _set_trigger_weights(model, num_labels)
    elif flavour == "random":
        # the default init (std 0.02) makes every score ~0.5; larger weights make inputs matter
        with torch.no_grad():
            for name, param in model.named_parameters():
                if "LayerNorm" not in name:
                    param.normal_(0.0, 0.3 if param.dim() > 1 else 0.05)
            model.classifier.weight.normal_(0.0, 0.2)
    else:
        raise ValueError(flavour)
    model.eval()
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    build_tokenizer().save_pretrained(folder)
    return folder


def benign_text(tokens: int, seed: int = 0) -> str:
    import random

    rng = random.Random(seed)
    return " ".join(rng.choice(BENIGN_WORDS) for _ in range(tokens))
