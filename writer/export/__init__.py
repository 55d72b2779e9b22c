"""Exporters: one module per format, all walking the same assembled work.

``FORMATS`` maps a format name to the module function that writes it; see ``base`` for
the options every format shares and for atomic output.
"""
