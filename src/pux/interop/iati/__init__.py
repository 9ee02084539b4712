"""IATI 2.03: streaming import of the activity files donors publish, and export of PUX's activities.

Engines (no web, no ORM): ``records`` (the plain shape of an activity), ``codelists``, ``schema``
(the official XSD), ``reader`` (streaming parse), ``rules`` (PUX's checks), ``relevance`` and ``writer``.
``repository`` and ``service`` store what an import keeps; ``views``, ``api`` and the CLI are the edges.
"""
