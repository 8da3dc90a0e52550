"""kitgen: per-physician referral kits (landing page, one-pager, cards, handout) from one source of truth.

Its stages, top to bottom; each imports only those below it (.importlinter, checked by tests/test_layers.py):

    commands    the `kitgen` command line
    serve       kitgen serve: rebuild on save, reload the tab
    report      kitgen report: referrals read back, counted, charted
    prospect    kitgen prospect: physicians near the practice from public registers
    desk        where each relationship stands, the week's plan, the contact log
    pipeline    load -> plan -> check -> render -> swap; `check` is its dry run
    check       what `check` and `build` refuse or warn about before anything is written
    documents   the documents made by code, and the makers the kinds table names
    render      templates to HTML and PDF, in the region's ways and the practice's languages
    kinds       the table of document kinds, data only
    content     the kit's YAML read, checked field by field, as typed objects
    record      what each document was made from, noted while it renders
    project     a kit project's folders and files
    problems    located problems (file:line: field: message)
    stopping    Ctrl-C honoured between steps
"""

__version__ = "0.2.0"
