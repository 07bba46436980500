"""Write ``lf_middleware/_confusables.txt``: letters of other scripts that look like one ASCII letter.

The source is Unicode's confusable data (UTS #39 ``confusables.txt``) as packaged by ``confusable-homoglyphs``
(installed by the ``dev`` extra). Kept: single letters (category L*) outside ASCII whose prototype is one ASCII
letter and that NFKC does not already turn into ASCII (the normalised view applies NFKC first). Capital
letters whose prototype is ``l`` (Cyrillic ``І``, Greek ``Ι``: UTS #39 folds ``I`` and ``l`` together) are
written as ``I``, because the patterns they are matched against are written with ``I``/``i``.

Usage: ``python scripts/make_confusables.py`` (rewrites the file; ``--check`` exits 1 when it differs).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
import unicodedata
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "lf_middleware" / "_confusables.txt"


def table() -> dict[str, str]:
    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    out: dict[str, str] = {}
    for char, glyphs in data.items():
        if len(char) != 1 or char.isascii() or not unicodedata.category(char).startswith("L"):
            continue
        if unicodedata.normalize("NFKC", char).isascii():
            continue
        protos = sorted({g["c"] for g in glyphs if len(g["c"]) == 1 and g["c"].isascii() and g["c"].isalpha()})
        if len(protos) != 1:
            continue
        proto = protos[0]
        if proto == "l" and unicodedata.category(char) == "Lu":
            proto = "I"
        out[char] = proto
    return dict(sorted(out.items()))


def render(entries: dict[str, str]) -> str:
    version = importlib.metadata.version("confusable-homoglyphs")
    head = [
        "# Letters that look like one ASCII letter: code point (hex), the ASCII letter, the character's name.",
        "# Derived from Unicode's confusables.txt (UTS #39) as packaged by confusable-homoglyphs "
        f"{version}, by scripts/make_confusables.py.",
        "# Unicode data: Copyright (c) 1991-2024 Unicode, Inc.; Unicode License v3 (https://www.unicode.org/license.txt).",
    ]
    rows = [f"{ord(c):04X} {p} {unicodedata.name(c, '?')}" for c, p in entries.items()]
    return "\n".join(head + rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file is out of date")
    args = parser.parse_args(argv)
    text = render(table())
    if args.check:
        same = OUT.exists() and OUT.read_text("utf-8") == text
        print("up to date" if same else f"{OUT} is out of date; run scripts/make_confusables.py")
        return 0 if same else 1
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 3} letters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
