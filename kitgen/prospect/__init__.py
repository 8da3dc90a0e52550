"""`kitgen prospect`: physicians to approach, read from a public register a practice keeps offline (the US NPPES
file, CMS's Doctors and Clinicians file, England's and Wales's epraccur), written as partner files. See
docs/prospects.md."""
