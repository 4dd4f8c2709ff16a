"""The ``policytext`` command: one module per command group, shared helpers in :mod:`.common`, and the entry
point in :mod:`.main`, which only assembles the groups.
"""
