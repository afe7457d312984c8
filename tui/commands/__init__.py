"""One module per `visitprep` subcommand; each exposes ``run(args) -> int`` and opens the store itself with ``open_store(args.db)``."""
