"""The IEMOCAP release: naming and layout rules, the parser, and the synthetic generator."""
