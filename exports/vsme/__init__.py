"""VSME (EFRAG's voluntary standard for SMEs) outputs and the B3 energy and GHG calculator."""
