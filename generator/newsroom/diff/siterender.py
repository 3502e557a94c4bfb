"""What the diff takes from below it to word what the site shows: a figure's value (the format's wording)
and a receipt's sentence (the site's receipts), in one place so that a change to where these live
changes one line.
"""

from __future__ import annotations

from generator.format.wording import figure_value
from generator.site.receipts import Receipt, receipt

__all__ = ["Receipt", "figure_value", "receipt"]
