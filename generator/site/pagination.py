"""Long lists cut into pages: where each page of a list stands (`Pager`) and which entries it shows.

Long lists are numbered from the oldest entry, so that a new briefing changes the last numbered page and
the list's first address, never the pages before: `who/hamas/page/1/` shows the same 50 briefings for ever.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Longer lists are cut into pages of this many entries.
PER_PAGE = 50


@dataclass(frozen=True)
class Pager:
    """Where a page of a long list stands, and its neighbours in reading order.

    Long lists are numbered from the oldest entry, so that a new briefing changes
    the last numbered page and the list's first address, never the pages before:
    `who/hamas/page/1/` shows the same 50 briefings for ever. A newest-first list
    shows its newest 50 at its first address (`number` 0), then numbered pages.
    """

    #: 1, 2, ... counted from the oldest entries; 0 for the first address of a newest-first list.
    number: int
    previous: str | None
    next: str | None
    #: The words of the links: newer/older for a newest-first list, else previous/next.
    newest_first: bool = True
    #: Whether this is the list's first address (`who/hamas/`), which has no number in its title.
    at_first: bool = False

    @property
    def shown(self) -> bool:
        return self.previous is not None or self.next is not None

    @property
    def suffix(self) -> str:
        """What the page's title adds: nothing on a list's first address, else ` (page N)`."""
        return "" if self.at_first else f" (page {self.number})"


Window = tuple[str, list[slice], Pager]


def numbered(first: str, number: int) -> str:
    return f"{first}page/{number}/"


def newest_windows(first: str, lengths: list[int], size: int = PER_PAGE) -> list[Window]:
    """The pages of newest-first lists shown side by side (an actor's briefings and quotes).

    Up to `size` entries of each fit on `first`. Longer, `first` shows the newest `size`
    of each, and `first` + `page/N/` shows the N-th `size` of each counted from the
    oldest, so that no numbered page changes when newer entries come.
    """
    longest = max(lengths, default=0)
    if longest <= size:
        return [(first, [slice(0, length) for length in lengths], Pager(0, None, None, at_first=True))]
    count = -(-longest // size)
    # The first numbered page that holds an entry the first address does not show.
    after_first = (longest - size - 1) // size + 1
    windows: list[Window] = [
        (first, [slice(0, size) for _ in lengths], Pager(0, None, numbered(first, after_first), at_first=True))
    ]
    for number in range(1, count + 1):
        slices = [slice(max(0, n - number * size), max(0, n - (number - 1) * size)) for n in lengths]
        newer = numbered(first, number + 1) if number < count else first
        older = numbered(first, number - 1) if number > 1 else None
        windows.append((numbered(first, number), slices, Pager(number, newer, older)))
    return windows


def oldest_windows(first: str, length: int, size: int = PER_PAGE, *, head: bool = True) -> list[Window]:
    """The pages of an oldest-first list: `first` holds the first `size`, `first` + `page/2/` the next...

    With `head` False, `first` is a page of its own (a ranking, say) and the list
    starts at `first` + `page/1/`.
    """
    count = max(1, -(-length // size))
    addresses = [first if head and number == 1 else numbered(first, number) for number in range(1, count + 1)]
    windows: list[Window] = []
    for number, address in enumerate(addresses, start=1):
        previous = addresses[number - 2] if number > 1 else (None if head else first)
        following = addresses[number] if number < count else None
        window = slice((number - 1) * size, number * size)
        pager = Pager(number, previous, following, newest_first=False, at_first=address == first)
        windows.append((address, [window], pager))
    return windows
