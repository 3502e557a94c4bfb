"""What the diff takes from the site's renderer: a figure's value and a receipt's sentence, as the site shows
them. The one import from `generator.site.render`, kept in one place so that a change to where these live
changes one line.
"""

from __future__ import annotations

from generator.site.render import Receipt, figure_value, receipt

__all__ = ["Receipt", "figure_value", "receipt"]
