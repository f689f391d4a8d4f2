"""The results report (stage ``report``): every run's metrics → results/summary.{md,csv}.

:mod:`~pipeline.report.runs` reads and aggregates the runs over folds,
:mod:`~pipeline.report.papers` holds the papers' numbers, :mod:`~pipeline.report.features` the
"features used" lines, :mod:`~pipeline.report.checks` the checks and
:mod:`~pipeline.report.summary` writes the files.
"""
