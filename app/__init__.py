"""unga-tracker: an HTTP API for United Nations General Assembly votes."""
