"""`kitgen report`: referrals received, read from a practice's own export, set against the relationship log.

read.py reads and checks the CSV (phi.py refuses patient columns), match.py attributes each row to a partner or
an other source, figures.py counts, charts.py draws (matplotlib, imported only there), html.py and pdf.py render
report.html and report.pdf (worker.py runs them in a second process), files.py writes report.csv and puts the
files in desk/. command.py ties them together for the CLI.
"""
