"""How many channels of the public playlists match the public guides: ``python scripts/guide_match_counts.py
[CORPUS] [--matcher MODULE]``.

Reads every playlist under ``CORPUS/m3u`` (default ``../shared/corpus``) and every guide channel of the guides under
``CORPUS/xmltv``, matches them as the app does (``settop.core.guide.match.ChannelMatcher``, or the
module named by ``--matcher``, for a before/after comparison), and prints per playlist and in all: channels, matched,
and matches per rule. The counts are recorded in docs/playlists-and-guides.md.
"""

from __future__ import annotations

import argparse
import importlib
from collections import Counter
from pathlib import Path

from settop.core.guide.xmltv import XmltvReader
from settop.core.models import GuideChannel
from settop.core.playlist.m3u import parse_bytes


def guide_channels(folder: Path) -> list[GuideChannel]:
    found: dict[str, GuideChannel] = {}
    for path in sorted(folder.rglob("*.xml")):
        for item in XmltvReader(name=path.name).read(path):
            if isinstance(item, GuideChannel):
                found.setdefault(item.id, item)
    return list(found.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" /
                                                          "corpus"))
    parser.add_argument("--matcher", default="settop.core.guide.match")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    matcher_class = importlib.import_module(args.matcher).ChannelMatcher
    guides = guide_channels(corpus / "xmltv")
    rules: Counter[str] = Counter()
    total = matched = 0
    print(f"{len(guides)} guide channels")
    for path in sorted((corpus / "m3u").rglob("*.m3u")):
        channels = parse_bytes(path.read_bytes()).channels
        matcher = matcher_class(channels)
        for guide in guides:
            matcher.add_guide_channel(guide)
        result = matcher.result()
        total += len(channels)
        matched += len(result)
        rules.update(how for _gid, how in result.values())
        if result:
            print(f"{path.relative_to(corpus)}: {len(result)} of {len(channels)}")
    print(f"all: {matched} of {total} channels matched; by rule: {dict(rules.most_common())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
