// Placeholder: the VendEngine module is filled in by its own issue.
