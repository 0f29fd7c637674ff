"""Importers of recorded votes: parse_* read and validate a source's files into a batch (no
database writes), load_batch writes a batch in the caller's transaction (flush only), and the
runner and the ``unga import`` commands tie them together. See docs/importing.md."""
