"""Benchmark reports: Markdown, one self-contained HTML page and PNG plots from the run log.

``collect`` groups run-log rows per suite, case and arm (model x mode); ``build`` turns them
into a format-free :class:`~intentos.bench.report.content.Report`; ``render`` writes it.
"""
