"""SDG tagging engine: suggests the Sustainable Development Goals a text addresses, offline, in six
languages, with the evidence for each suggestion. Plain Python and numpy; no web framework, no ORM.

Entry points: ``engine.get_tagger().suggest(text, language)`` and, for scoring a labelled file,
``evaluation.read_evaluation_csv``, ``evaluation.evaluate`` and ``evaluation.format_report``.
"""
