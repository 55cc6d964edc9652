"""The knowledge base: YAML entries loaded into typed records, the catalog of ids they answer to,
the product's fixed texts, the generated index, `kb validate`, and the parsed copies in the cache."""
