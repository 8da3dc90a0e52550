"""kitgen: per-physician referral kits (landing page, one-pager, cards, handout) from one source of truth."""

__version__ = "0.2.0"
