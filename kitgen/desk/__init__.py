"""The therapist's own desk: where each relationship stands, what to do this week, what was spent on whom, and
`kitgen log` to write a contact down. Everything here lives in output/desk/, never in site/."""
