"""Rebuild the whole search index: every kind every app registers (search.registry)."""

import time

from django.core.management.base import BaseCommand

from search import extraction, indexing


class Command(BaseCommand):
    help = "Bygger om sökindexet (alla sökbara typer)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        verbosity = options["verbosity"]

        def progress(kind, done, total):
            if verbosity < 1:
                return
            width = 30
            filled = width * done // total if total else width
            bar = "#" * filled + "-" * (width - filled)
            self.stdout.write(f"{kind.name:<12} [{bar}] {done}/{total}")

        def file_progress(source, done, total):
            if verbosity >= 1 and (done == total or done % 50 == 0):
                self.stdout.write(f"{source:<12} {done}/{total} filer lästa")

        extraction.extract_missing(progress=file_progress)
        written = indexing.reindex_all(progress=progress)
        indexing.tidy()
        seconds = time.perf_counter() - started
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(f"{written} sökdokument indexerade på {seconds:.1f} s.")
            )
