// Placeholder: the AWSCore module is filled in by its own issue.
