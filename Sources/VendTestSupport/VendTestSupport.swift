// Placeholder: the VendTestSupport module is filled in by its own issue.
