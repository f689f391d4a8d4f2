"""PyTorch re-implementations of ARE, TRE, MDRE, MDREA (SLT 2018) and AMH (ICASSP 2020)."""
