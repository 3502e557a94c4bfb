"""Share images: the picture a chat or a social site shows for a link to a briefing, a story or a person.

Each is a 1200×630 PNG (Open Graph's `og:image`, Twitter's `summary_large_image`): the site's
monogram and name, the kicker, the headline, and the key figure. It is drawn with Pillow in Source
Sans Pro, the font the PyPI package `font-source-sans-pro` ships (nothing is downloaded, nothing is
read from the machine's fonts), laid out with Pillow's basic layout (no system library's version can
move a glyph), in two inks on white, each in SHADES shades for the letters' edges: a 4-bit PNG of
seven colours, 6 to 15 KB, in about 9 ms.

A card is named by the digest of what it shows and of how it is drawn (`Card.digest`: its text,
its colours, this module's code, Pillow's version), and its file carries that name
(`briefings/<slug>/card-<digest>.png`): a build that finds a file of that name kept by an earlier
build does not draw it again, and a chat that kept the old picture of a corrected headline fetches
the new one. The same card gives the same bytes.

Text a briefing holds is hostile: controls and invisible format characters are left out, and a
headline with a character the font has no glyph for (a script other than Latin, Greek or Cyrillic)
is not drawn half-blank: the page's card is then the site's card (`site_card`). Nothing is
interpreted: Pillow draws the characters it is given.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import astuple, dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageFont

WIDTH, HEIGHT = 1200, 630
#: The left and right margin; the ink strip down the left edge.
MARGIN, STRIP = 72, 14
#: The ink of the text; the accent is the site's monogram colour (`monogram`).
INK = (0x1B, 0x1B, 0x1B)
WHITE = (0xFF, 0xFF, 0xFF)
#: Shades of each ink between white and itself (the letters' edges): with white, a palette of 2 × SHADES + 1.
SHADES = 3
#: The grey of a figure's label and the site's name: a fraction of the ink.
GREY = 0.62
#: The headline's sizes, tried largest first, and the most lines it may take with and without a figure.
HEADLINE_SIZES = (64, 56, 48)
HEADLINE_LINES = (3, 4)
#: The most characters of any text considered (a title is at most 140; a hostile value is cut first).
LONGEST = 300

#: The monogram's square, picked by the site's name: each is dark enough for white letters (contrast above 4.5:1).
COLOURS = ("#b3261e", "#1d4ed8", "#0f766e", "#6d28d9", "#9a3412", "#374151")
#: Characters XML 1.0 does not allow, even as character references: not part of a name.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def monogram(site_name: str) -> tuple[str, str]:
    """The site's monogram: the first letters of its name's first two words (of a one-word name, its first
    letter), upper case, "?" for a name with no word; and its colour, picked by the name."""
    name = NOT_XML.sub("", site_name)
    words = [word for word in re.split(r"[\W_]+", name) if word]
    letters = "".join(word[0] for word in words[:2]).upper() or "?"
    return letters, COLOURS[sum(name.encode("utf-8", "surrogatepass")) % len(COLOURS)]


@dataclass(frozen=True)
class Card:
    """What one share image shows; every text already cleaned (`clean`) and drawable (`drawable`), or empty."""

    letters: str
    colour: str
    site: str
    kicker: str = ""
    headline: str = ""
    value: str = ""
    label: str = ""

    @property
    def digest(self) -> str:
        """SHA-256 of what the card shows and of how it is drawn: the same digest, the same bytes."""
        data = json.dumps([list(astuple(self)), _drawing_version()], ensure_ascii=True).encode("ascii")
        return hashlib.sha256(data).hexdigest()

    def path(self, address: str) -> str:
        """The card's file beside the page at `address` (a folder, "" for the home page)."""
        return f"{address}card-{self.digest[:16]}.png"

    @property
    def alt(self) -> str:
        """The image's text alternative: what it says, in reading order."""
        parts = [self.kicker, self.headline, " ".join(p for p in (self.value, self.label) if p)]
        return ". ".join(p for p in parts if p) or self.site


@cache
def _drawing_version() -> str:
    """This module's code and Pillow's version: what else decides a card's bytes."""
    import PIL

    return hashlib.sha256(Path(__file__).read_bytes() + PIL.__version__.encode()).hexdigest()


# --- text -----------------------------------------------------------------------------------------


def clean(text: str) -> str:
    """Text as a card draws it: composed (NFC), without controls or format characters (bidirectional
    overrides, zero-width joiners), its white space collapsed; at most LONGEST characters looked at."""
    text = unicodedata.normalize("NFC", text[: LONGEST * 2])[:LONGEST]
    kept = "".join(" " if ch.isspace() else ch for ch in text if unicodedata.category(ch)[0] != "C" or ch.isspace())
    return " ".join(kept.split())


def drawable(text: str) -> bool:
    """Whether the font has a glyph for every character of `text`."""
    covered = _covered()
    return all(ord(ch) in covered for ch in text)


def usable(text: str) -> str:
    """`text` cleaned, or "" when the font cannot draw all of it."""
    text = clean(text)
    return text if drawable(text) else ""


def card(site_name: str, kicker: str = "", headline: str = "", value: str = "", label: str = "") -> Card:
    """A page's card; a headline the font cannot draw makes it the site's card (`site_card`)."""
    letters, colour = monogram(site_name)
    title = usable(headline)
    if not title:
        return site_card(site_name)
    return Card(usable(letters), colour, usable(site_name), usable(kicker), title, usable(value), usable(label))


def site_card(site_name: str, description: str = "") -> Card:
    """The site's own card: its monogram and name, and its description as the headline where there is one."""
    letters, colour = monogram(site_name)
    return Card(usable(letters), colour, usable(site_name), headline=usable(description))


# --- the font -------------------------------------------------------------------------------------


#: The fonts: Source Sans Pro (SIL Open Font License), as the PyPI package `font-source-sans-pro` ships it.
FONT_PACKAGE = "font_source_sans_pro"
BOLD, REGULAR = "SourceSansPro-Bold.ttf", "SourceSansPro-Regular.ttf"


@cache
def _font_bytes(name: str) -> bytes:
    """A font file of the package, read once (found without running the package's code)."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    if not folders:
        raise RuntimeError(f"the package {FONT_PACKAGE} is not installed: it holds the share images' font")
    return (Path(folders[0]) / "files" / name).read_bytes()


def check_fonts() -> None:
    """RuntimeError, saying what is missing, unless both fonts can be read and drawn with."""
    for name in (BOLD, REGULAR):
        try:
            _font(12, name)
        except OSError as exc:
            raise RuntimeError(f"the share images' font {name} cannot be read ({exc})") from None


@cache
def _font(size: int, name: str = BOLD) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(io.BytesIO(_font_bytes(name)), size, layout_engine=ImageFont.Layout.BASIC)


@cache
def _covered() -> frozenset[int]:
    """The characters both fonts have a glyph for, from their `cmap` tables (formats 4 and 12)."""
    return frozenset(font_characters(_font_bytes(BOLD))) & frozenset(font_characters(_font_bytes(REGULAR)))


def font_characters(data: bytes) -> Iterator[int]:
    """The code points an OpenType font's Unicode `cmap` subtables map to a glyph other than .notdef."""
    (tables,) = struct.unpack_from(">H", data, 4)
    offset = None
    for index in range(tables):
        tag, _, start, _ = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        if tag == b"cmap":
            offset = start
    if offset is None:
        return
    (count,) = struct.unpack_from(">H", data, offset + 2)
    for index in range(count):
        platform, encoding, start = struct.unpack_from(">HHI", data, offset + 4 + 8 * index)
        if (platform, encoding) not in ((3, 1), (3, 10), (0, 3), (0, 4)):
            continue
        at = offset + start
        (kind,) = struct.unpack_from(">H", data, at)
        if kind == 4:
            yield from _format_4(data, at)
        elif kind == 12:
            yield from _format_12(data, at)


def _format_4(data: bytes, at: int) -> Iterator[int]:
    (doubled,) = struct.unpack_from(">H", data, at + 6)
    segments = doubled // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + doubled)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 2 * doubled)
    ranges_at = at + 16 + 3 * doubled
    offsets = struct.unpack_from(f">{segments}H", data, ranges_at)
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        for code in range(start, min(end, 0xFFFE) + 1):
            if offsets[index] == 0:
                glyph = (code + deltas[index]) & 0xFFFF
            else:
                where = ranges_at + 2 * index + offsets[index] + 2 * (code - start)
                (glyph,) = struct.unpack_from(">H", data, where)
                glyph = (glyph + deltas[index]) & 0xFFFF if glyph else 0
            if glyph:
                yield code


def _format_12(data: bytes, at: int) -> Iterator[int]:
    (groups,) = struct.unpack_from(">I", data, at + 12)
    for index in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * index)
        for code in range(start, end + 1):
            if glyph + code - start:
                yield code


# --- drawing --------------------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour.lstrip("#"), 16)
    return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF


def _palette(accent: tuple[int, int, int]) -> list[int]:
    """White, then SHADES steps from white to the ink, then SHADES from white to the accent."""
    colours = [WHITE]
    for ink in (INK, accent):
        for step in range(1, SHADES + 1):
            colours.append(tuple(round(w + (i - w) * step / SHADES) for w, i in zip(WHITE, ink, strict=True)))  # type: ignore[arg-type]
    return [channel for colour in colours for channel in colour]


def _fit(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """`text` as it fits in `width` on one line: cut with "…" where it does not."""
    if font.getlength(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle].rstrip() + "…") <= width:
            low = middle
        else:
            high = middle - 1
    space = text.rfind(" ", 0, low + 1)
    if space > low * 2 // 3:  # between words where that loses little
        low = space
    return text[:low].rstrip() + "…"


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float, lines: int) -> tuple[list[str], bool]:
    """`text` in at most `lines` lines of `width`, broken between words (a word wider than a line is
    broken where it must), and whether all of it fit; the last line is cut with "…" when it did not."""
    out: list[str] = []
    words = text.split(" ")
    line = ""
    index = 0
    while index < len(words) and len(out) < lines:
        word = words[index]
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            index += 1
        elif line:
            out.append(line)
            line = ""
        else:  # one word wider than the line: as much of it as fits
            head = _fit(word, font, width)[:-1] or word[:1]
            out.append(head)
            words[index] = word[len(head) :]
    if line and len(out) < lines:
        out.append(line)
    whole = index >= len(words)
    if not whole and out:
        rest = " ".join([out[-1], *words[index:]])
        out[-1] = _fit(rest, font, width) if font.getlength(rest) > width else rest + "…"
    return out, whole


def draw(card: Card) -> bytes:
    """The card as a PNG: the same card, the same bytes."""
    from PIL import Image, ImageDraw

    # One canvas of coverage (how much ink each pixel takes), then the shades of the accent's rectangles
    # (nothing else is drawn in them) and the ink's everywhere else.
    cover = Image.new("L", (WIDTH, HEIGHT), 0)
    pen = ImageDraw.Draw(cover)
    accents: list[tuple[int, int, int, int]] = [(0, 0, STRIP, HEIGHT)]
    width = WIDTH - 2 * MARGIN
    pen.rectangle((0, 0, STRIP - 1, HEIGHT - 1), fill=255)
    square, top = 76, 56
    pen.rectangle((MARGIN, top, MARGIN + square - 1, top + square - 1), fill=255)
    accents.append((MARGIN, top, MARGIN + square, top + square))
    if card.letters:
        size = 40 if len(card.letters) == 1 else 34
        centre = (MARGIN + square / 2, top + square / 2)
        pen.text(centre, card.letters, font=_font(size), fill=0, anchor="mm")
    if card.site:
        name = _fit(card.site, _font(36), width - square - 24)
        pen.text((MARGIN + square + 24, top + square / 2), name, font=_font(36), fill=255, anchor="lm")
    top = 200
    if card.kicker:
        kicker = _fit(card.kicker.upper(), _font(30), width)
        pen.text((MARGIN, top), kicker, font=_font(30), fill=255, anchor="lt")
        accents.append(_box(pen.textbbox((MARGIN, top), kicker, font=_font(30), anchor="lt")))
        top += 54
    bottom = 490 if card.value else HEIGHT - 60
    lines, size = _headline(card.headline, width, bottom - top, 3 if card.value else 4)
    step = round(size * 1.2)
    for number, line in enumerate(lines):
        pen.text((MARGIN, top + number * step), line, font=_font(size), fill=255, anchor="lt")
    if card.value:
        baseline = HEIGHT - 64
        value = _fit(card.value, _font(64), width)
        pen.text((MARGIN, baseline), value, font=_font(64), fill=255, anchor="ls")
        box = _box(pen.textbbox((MARGIN, baseline), value, font=_font(64), anchor="ls"))
        accents.append(box)
        room = width - (box[2] - MARGIN) - 24
        if card.label and room > 120:
            label = _fit(card.label, _font(32, REGULAR), room)
            pen.text((WIDTH - MARGIN - room, baseline), label, font=_font(32, REGULAR), fill=GREY_LEVEL, anchor="ls")
    picture = cover.point(_INK_SHADES)
    for box in accents:
        picture.paste(cover.crop(box).point(_ACCENT_SHADES), box[:2])
    indices = Image.frombytes("P", picture.size, picture.tobytes())  # Pillow packs four bits of P, not of L
    return png(indices.tobytes("raw", "P;4"), _palette(_rgb(card.colour)))


def png(packed: bytes, palette: list[int]) -> bytes:
    """A WIDTH × HEIGHT PNG of 4-bit palette indices (`packed`, two pixels a byte, row by row): every row
    unfiltered, deflated at zlib's level 6. Written here, not by Pillow's encoder, which tries each PNG
    filter on each row: a third of the time, for no smaller file on a card's few colours."""
    row = (WIDTH + 1) // 2
    rows = b"".join(b"\x00" + packed[at : at + row] for at in range(0, row * HEIGHT, row))
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 4, 3, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", bytes(palette)),
            _chunk(b"IDAT", zlib.compress(rows, 6)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


#: A coverage (0 to 255) as its shade of the ink (palette 1 to SHADES; 0 is white) and of the accent, each
#: index in both halves of its byte, so that packing four bits of it takes the index whichever half it takes.
_SHADE = [0, *(min(SHADES, 1 + (level * SHADES) // 256) for level in range(1, 256))]
_INK_SHADES = [shade * 17 for shade in _SHADE]
_ACCENT_SHADES = [0, *((SHADES + shade) * 17 for shade in _SHADE[1:])]
#: The grey of a figure's label: a part of the ink's coverage.
GREY_LEVEL = round(255 * GREY)


def _box(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    """A text's bounding box, whole pixels around it, inside the card."""
    left, top, right, bottom = box
    return max(0, int(left) - 1), max(0, int(top) - 1), min(WIDTH, int(right) + 2), min(HEIGHT, int(bottom) + 2)


def _headline(text: str, width: float, height: float, most: int) -> tuple[list[str], int]:
    """The headline's lines and size: the largest size at which it fits whole, else the smallest, cut."""
    for size in HEADLINE_SIZES:
        count = min(most, int(height // round(size * 1.2)))
        lines, whole = wrap(text, _font(size), width, count)
        if whole:
            return lines, size
    return lines, size


#: Cards drawn at once, and how many ahead of the one asked for: Pillow's text and zlib let go of Python's lock
#: for most of a card, so two threads draw 1.5 times as many a second as one on two cores.
WORKERS = min(4, os.cpu_count() or 1)
AHEAD = 4 * WORKERS


class CardFiles(Mapping[str, str | bytes]):
    """Files to write: `others` as they are, and cards, each drawn when asked for (never all held at once: a
    few ahead of the one asked for, in the order of their paths, in threads of their own). `close` lets
    the threads go."""

    def __init__(self, cards: Mapping[str, Card], others: Mapping[str, str] | None = None) -> None:
        self.cards = cards
        self.others = others or {}
        self._order = sorted(cards)
        self._next = 0
        self._ahead: dict[str, Future[bytes]] = {}
        self._pool: ThreadPoolExecutor | None = None

    def __getitem__(self, path: str) -> str | bytes:
        found = self.cards.get(path)
        if found is None:
            return self.others[path]
        if self._pool is None and len(self.cards) > 1 and WORKERS > 1:
            self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="briefings-cards")
        if self._pool is not None:
            while self._next < len(self._order) and len(self._ahead) < AHEAD:
                upcoming = self._order[self._next]
                self._next += 1
                self._ahead[upcoming] = self._pool.submit(draw, self.cards[upcoming])
        ahead = self._ahead.pop(path, None)
        return ahead.result() if ahead is not None else draw(found)

    def __iter__(self) -> Iterator[str]:
        yield from self.cards
        yield from (path for path in self.others if path not in self.cards)

    def __len__(self) -> int:
        return len(self.cards.keys() | self.others.keys())

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        self._ahead.clear()

    def __enter__(self) -> CardFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
