"""Paper sizes and precut card stocks, as data: adding a stock is adding one line."""

from __future__ import annotations

from dataclasses import dataclass

PAPER_MM = {"letter": (215.9, 279.4), "a4": (210.0, 297.0)}


@dataclass(frozen=True)
class CardStock:
    """One sheet of precut cards, in mm. Right margin = left and bottom = top on every real stock."""

    name: str
    paper: str
    card_w: float
    card_h: float
    columns: int
    rows: int
    left: float
    top: float
    h_gap: float
    v_gap: float

    def cells(self, dx: float = 0.0, dy: float = 0.0) -> list[tuple[float, float]]:
        """Top-left corner of every card, row by row, shifted by a calibration offset."""
        return [(self.left + dx + c * (self.card_w + self.h_gap), self.top + dy + r * (self.card_h + self.v_gap))
                for r in range(self.rows) for c in range(self.columns)]


#              name            paper    card w  card h  cols rows  left   top    h-gap  v-gap
_TABLE = [
    ("avery-5371",   "letter", 88.9, 50.8, 2, 5, 19.05, 12.7, 0.0, 0.0),
    ("avery-8869",   "letter", 88.9, 50.8, 2, 4, 12.7, 19.05, 12.7, 12.7),
    ("avery-c32011", "a4",     85.0, 54.0, 2, 5, 15.0, 13.5, 10.0, 0.0),
    ("avery-l7414",  "a4",     90.0, 52.0, 2, 5, 15.0, 18.5, 0.0, 0.0),
]
STOCKS = {row[0]: CardStock(*row) for row in _TABLE}
