"""Document structure: headings, metadata, the section tree, paragraphs."""
