"""Integrity: every event sealed as it is stored (hash chain and RFC 6962 tree), `verify`, checkpoints, proofs."""
