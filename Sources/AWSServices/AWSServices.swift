// Placeholder: the AWSServices module is filled in by its own issue.
