// Placeholder: the AWSSigV4 module is filled in by its own issue.
