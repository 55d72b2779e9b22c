"""The model of a library of writing projects: no Qt here, ever.

Everything above this package (render, search, export, gui, cli) reads and changes
projects only through the names exported here.
"""
