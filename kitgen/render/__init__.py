"""Stage 3, render: the theme's Jinja templates to HTML (themes, html), HTML to PDF (pdf), PDFs across processes
(pool). Nothing here decides what to build; it renders what it is given."""
