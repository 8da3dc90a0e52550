"""`kitgen report`: referrals received, read from a practice's own export, set against the relationship log.

read.py reads and checks the CSV (phi.py refuses patient columns), match.py attributes each row to a partner or
an other source, figures.py counts, charts.py draws (matplotlib, imported only here) and write.py writes
desk/report.csv, report.html and report.pdf. command.py ties them together for the CLI.
"""
