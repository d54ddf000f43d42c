"""Commands of the ``mvo`` CLI, one module per package they serve."""
