"""The results report (stage ``report``): every run's metrics → results/summary.{md,csv},
results/report.html and the DVC metrics results/metrics.json.

:mod:`~pipeline.report.runs` reads and aggregates the runs over folds,
:mod:`~pipeline.report.papers` holds the papers' numbers, :mod:`~pipeline.report.features` the
"features used" lines, :mod:`~pipeline.report.checks` the checks,
:mod:`~pipeline.report.summary` builds the report and writes the summary files as
:mod:`~pipeline.report.blocks` (rendered as markdown or HTML), :mod:`~pipeline.report.html` adds
every run's figures, :mod:`~pipeline.report.metrics` picks the numbers DVC compares,
:mod:`~pipeline.report.sources` lists the data reports linked, and
:mod:`~pipeline.report.show` prints the tables in a terminal.
"""
