"""Read functions, one module per resource. They take the session first, the rest keyword-only,
return plain dicts shaped like the response models in ``app.schemas``, and never write."""
