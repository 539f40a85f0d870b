"""FastAPI app and the offline web map."""
