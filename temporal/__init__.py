"""The Temporal side of the operator: binaries, the embedded dev server, search attributes.

Connection settings for an external cluster or Temporal Cloud, and the worker assembly, join
this package as the workflows arrive.
"""
