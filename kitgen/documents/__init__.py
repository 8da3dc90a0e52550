"""Stage 2, documents: the table of document kinds (kinds.py) and the documents made in code rather than from a
template (QR codes, the vCard, the follow-up calendar, the intro e-mail, host headers)."""
