"""``lf-middleware models pull|verify|list``: guard models in the Hugging Face cache, pinned by sha256."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .. import model_store as ms
from ._args import positive_seconds

EPILOG = """examples:
  HF_TOKEN=hf_... lf-middleware models pull                      # both Prompt Guard 2 models, pins written to lf-models.lock.json
  lf-middleware models pull promptguard-2-22m --revision <commit>
  lf-middleware models pull meta-llama/Llama-Prompt-Guard-2-86M --from /mnt/models   # copy from a local folder (no network)
  lf-middleware models verify                                    # check the cache against the pins, offline
  lf-middleware models list --json
"""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "models",
        help="fetch, pin, verify and list guard models",
        description="Manage guard models in the Hugging Face cache (HF_HOME or --cache-dir) with sha256 pins in a lock file.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    msub = p.add_subparsers(dest="models_command", metavar="ACTION")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--cache-dir", metavar="DIR", help="hub cache folder (default: HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub)")
    common.add_argument("--lock", metavar="FILE", default=ms.DEFAULT_LOCK_FILE, help="lock file (default: %(default)s)")

    pp = msub.add_parser("pull", parents=[common], help="fetch models and record their sha256 pins",
                         description="Fetch guard models (default: Prompt Guard 2 86M and 22M, or those in --config) "
                         "from the hub with HF_TOKEN, or from a local folder with --from, and pin them in the lock file.")
    pp.add_argument("names", nargs="*", metavar="NAME", help="hub id, local short name (promptguard-2-86m, promptguard-2-22m)")
    pp.add_argument("--config", metavar="FILE", help="take the model names from this engine configuration")
    pp.add_argument("--revision", help="branch, tag or commit to fetch (default: main)")
    pp.add_argument("--from", dest="source", metavar="DIR", help="copy from this folder instead of the hub")
    pp.add_argument("--timeout", type=positive_seconds, default=5.0, help="seconds to wait for the hub before giving up")
    pp.add_argument("--no-progress", action="store_true", help="no progress bar")
    pp.set_defaults(func=run_pull)

    pv = msub.add_parser("verify", parents=[common], help="check cached files against the lock file (no network)")
    pv.add_argument("--json", action="store_true", help="machine-readable output")
    pv.set_defaults(func=run_verify)

    pl = msub.add_parser("list", parents=[common], help="show cached models, their size and whether they are pinned")
    pl.add_argument("--json", action="store_true", help="machine-readable output")
    pl.set_defaults(func=run_list)
    p.set_defaults(func=lambda args: (p.print_help(sys.stderr), 2)[1])


def models_in_config(path: str) -> list[str]:
    """The prompt_guard models an engine configuration names (the scanner's ``model`` option)."""
    from ..config import load_config

    cfg = load_config(path)
    names = []
    opts = cfg.scanner_options.get("prompt_guard", {})
    if opts.get("model"):
        names.append(str(opts["model"]))
    for specs in cfg.scanners.values():
        for spec in specs:
            if spec.name == "prompt_guard" and spec.options.get("model"):
                names.append(str(spec.options["model"]))
    return list(dict.fromkeys(names))


def _progress_bar(enabled: bool) -> Any:
    if not enabled or not sys.stderr.isatty():
        bars: dict[str, Any] = {}

        def plain(repo: str, done: int, total: int) -> None:
            if done >= total and repo not in bars:
                bars[repo] = True
                print(f"  copied {repo}: {total / 1e6:.1f} MB", file=sys.stderr)
        return plain if enabled else None
    from tqdm import tqdm

    tq: dict[str, Any] = {}

    def cb(repo: str, done: int, total: int) -> None:
        bar = tq.get(repo)
        if bar is None:
            bar = tq[repo] = tqdm(total=total, unit="B", unit_scale=True, desc=repo, file=sys.stderr)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()
    return cb


def run_pull(args: argparse.Namespace) -> int:
    names = list(args.names)
    if args.config:
        names += models_in_config(args.config)
    if not names:
        names = list(ms.DEFAULT_PULL)
    try:
        pulled = ms.pull(names, cache_dir=args.cache_dir, source=args.source, revision=args.revision,
                         timeout=args.timeout, progress=_progress_bar(not args.no_progress))
    except ms.ModelLoadError as err:
        print(f"lf-middleware models pull: {err}", file=sys.stderr)
        return 1
    lock = ms.write_lock(args.lock, pulled)
    for m in pulled:
        print(f"{m.repo_id}  revision {m.revision}  {len(m.files)} files  {m.size / 1e6:.1f} MB  -> {m.path}")
    print(f"pins written to {lock}")
    example = {"scanner_options": {"prompt_guard": {"model": pulled[0].repo_id, "revision": pulled[0].revision,
                                                    "sha256": {k: v for k, v in pulled[0].files.items() if k.endswith('.safetensors')}}}}
    print("to pin in your engine configuration (YAML/JSON):\n" + json.dumps(example, indent=2))
    return 0


def run_verify(args: argparse.Namespace) -> int:
    lock = ms.read_lock(args.lock)
    problems = ms.verify(lock, cache_dir=args.cache_dir)
    if args.json:
        print(json.dumps({"ok": not problems, "models": sorted(lock), "problems": [
            {"model": p.repo_id, "file": p.file, "problem": p.problem, "expected": p.expected, "actual": p.actual}
            for p in problems]}))
    else:
        for repo_id in sorted(lock):
            bad = [p for p in problems if p.repo_id == repo_id]
            print(f"{'FAIL' if bad else 'ok  '}  {repo_id}  ({len(lock[repo_id]['files'])} pinned files)")
            for p in bad:
                print(f"      {p}")
    return 1 if problems else 0


_BUILTIN = ("prompt_guard's default when no model is given: shipped in the package, no download; its "
            "sentence encoder comes with the [promptguard] extra (see docs/offline_default.md)")


def run_list(args: argparse.Namespace) -> int:
    from pathlib import Path

    lock = ms.read_lock(args.lock) if Path(args.lock).exists() else {}
    models = ms.list_cached(cache_dir=args.cache_dir, lock=lock)
    if args.json:
        print(json.dumps([{"model": m.repo_id, "refs": m.revisions, "snapshots": list(m.snapshots),
                           "size_bytes": m.size, "pinned": m.pinned, "builtin": False} for m in models]
                         + [{"model": "offline-default", "builtin": True, "description": _BUILTIN}]))
        return 0
    print(f"{'offline-default (built in)':50s} {_BUILTIN}")
    if not models:
        print(f"no downloaded models in {ms.cache_root(args.cache_dir)}")
        return 0
    for m in models:
        refs = ", ".join(f"{k}={v[:12]}" for k, v in m.revisions.items()) or "-"
        print(f"{m.repo_id:50s} {m.size / 1e6:9.1f} MB  {'pinned' if m.pinned else 'unpinned':8s}  {refs}")
    return 0
