# LatentAtlas — `make demo` renders the examples, `make test` runs the tests. Both install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

# Debian packages: C libraries (Cairo, libpng, Pango) and the fonts the styles name (pinned: renders use only these).
APT_PACKAGES := pkg-config libcairo2-dev libpng-dev libpango1.0-dev libdeflate-dev \
	fonts-inter fonts-noto-cjk fonts-noto-core fonts-noto-color-emoji poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ATLAS := .build/release/atlas
EXAMPLES := Examples/sea-light.jsonl Examples/clockwork.jsonl Examples/civic.jsonl Examples/neuronpedia-12082.json

.PHONY: setup build demo test bench clean

setup:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v swift >/dev/null || { echo "The Swift toolchain is required (swift not on PATH)."; exit 1; }

build: setup
	swift build -c release --product atlas

demo: build
	@mkdir -p Output
	@for f in $(EXAMPLES); do $(ATLAS) render $$f --style preview --output Output || exit 1; done
	$(ATLAS) render Examples/sea-light.jsonl --style gallery --output Output/gallery
	@echo "Renders are in Output/ (open Output/sea-light.png)."

test: setup
	swift test

bench: setup
	swift build -c release --product AtlasBenchmarks
	.build/release/AtlasBenchmarks $(ARGS)

clean:
	rm -rf .build Output/*.png Output/*.json Output/*.pdf Output/*.svg
