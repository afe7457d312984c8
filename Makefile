# Shortcuts for dev.py (which needs only Python); `make demo`, `make test`, ...
.PHONY: demo test lint screenshots bench
demo test lint screenshots bench:
	python3 dev.py $@
