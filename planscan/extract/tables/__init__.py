"""Reading tables: which rows are the header, what each column means, the row tree, and every
figure cell as an IndicatorRecord (``table``, ``row``, ``col`` and the cell's box)."""
