"""Adding and removing papers, validated against the whole knowledge base first and written all or nothing."""
