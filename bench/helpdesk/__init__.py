"""A minimal Django project around django-helpdesk, for the side-by-side benchmark (``scripts/bench_helpdesk.sh``).

It runs only in its own virtualenv (``var/bench-helpdesk-venv``, from ``requirements.txt`` here), never
in the project's ``.venv``.
"""
