# LatentAtlas — `make demo` renders the examples, `make test` runs the tests. Both install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

# Debian packages: C libraries (Cairo, libpng, Pango) and the fonts the styles name (pinned: renders use only these).
APT_PACKAGES := pkg-config libcairo2-dev libpng-dev libpango1.0-dev libdeflate-dev \
	libtiff-dev icc-profiles-free fonts-inter fonts-noto-cjk fonts-noto-core fonts-noto-color-emoji poppler-utils
# Peers of `make bench` only (never needed to build, test or render).
BENCH_APT_PACKAGES := imagemagick python3-venv
BENCH_VENV := Benchmarks/.venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ATLAS := .build/release/atlas
EXAMPLES := Examples/sea-light.jsonl Examples/clockwork.jsonl Examples/civic.jsonl Examples/neuronpedia-12082.json

.PHONY: setup build demo test bench bench-venv fuzz gallery clean

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
	swift build -c release --product atlas
	swift build -c release --product AtlasBenchmarks
	ATLAS_BENCH_PYTHON=$(abspath $(BENCH_VENV))/bin/python .build/release/AtlasBenchmarks $(ARGS)

# The benchmark peers: ImageMagick's `compare`, and datamapplot and umap-learn in a virtualenv
# (Benchmarks/.venv, gitignored). `make bench` runs without them and says which peer is missing.
bench-venv: setup
	@missing=$$(for p in $(BENCH_APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	[ -x $(BENCH_VENV)/bin/python ] || python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q datamapplot==0.7.3 umap-learn==0.5.12

# libFuzzer over the PNG readers and the JSON parser, FUZZ_SECONDS (default 60) each.
fuzz: setup
	Benchmarks/fuzz/run.sh

# The README's gallery: three examples, the diptych and the denoising steps (the 100 % crop in
# docs/gallery is cut from `atlas render Examples/sea-light.jsonl --style gallery` by hand).
gallery: build
	@tmp=$$(mktemp -d); \
	for f in sea-light clockwork civic; do $(ATLAS) render Examples/$$f.jsonl --style preview --set canvas.width=560 --set canvas.height=560 --set output.compression=9 -o $$tmp -q || exit 1; cp $$tmp/$$f.png docs/gallery/$$f.png; done; \
	$(ATLAS) render Examples/civic.jsonl --style diptych --set canvas.width=1000 --set canvas.height=500 --set output.compression=9 -o $$tmp -q && cp $$tmp/civic.png docs/gallery/civic-diptych.png; \
	$(ATLAS) render Examples/clockwork.jsonl --style preview --set canvas.width=320 --set canvas.height=320 --set output.compression=9 --save-steps 6 -o $$tmp/s -q; \
	cp $$tmp/s/clockwork.step-006.png docs/gallery/steps-06.png; cp $$tmp/s/clockwork.step-012.png docs/gallery/steps-12.png; \
	cp $$tmp/s/clockwork.step-018.png docs/gallery/steps-18.png; cp $$tmp/s/clockwork.png docs/gallery/steps-final.png; \
	rm -rf $$tmp; echo "gallery written to docs/gallery"

clean:
	rm -rf .build Output/*.png Output/*.json Output/*.pdf Output/*.svg
