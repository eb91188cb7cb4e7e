# LatentAtlas — `make demo` renders the examples, `make test` runs the tests. Both install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

# Debian packages: C libraries (Cairo, libpng, Pango) and the fonts the styles name (pinned: renders use only these).
APT_PACKAGES := pkg-config libcairo2-dev libpng-dev libpango1.0-dev libdeflate-dev zlib1g-dev \
	libtiff-dev icc-profiles-free fonts-inter fonts-noto-cjk fonts-noto-core fonts-noto-color-emoji poppler-utils
# Peers of `make bench` only (never needed to build, test or render).
BENCH_APT_PACKAGES := imagemagick python3-venv
BENCH_VENV := Benchmarks/.venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ATLAS := .build/release/atlas
# Extra `swift build` flags for `make build`/`make install` (the Dockerfile links the Swift runtime statically).
SWIFT_BUILD_FLAGS ?=
# `make install PREFIX=…`: the binary to $(PREFIX)/bin, what it reads at run time to $(PREFIX)/share/latentatlas.
PREFIX ?= /usr/local
SHARE = $(DESTDIR)$(PREFIX)/share/latentatlas
EXAMPLES := Examples/sea-light.jsonl Examples/clockwork.jsonl Examples/civic.jsonl Examples/neuronpedia-12082.json

.PHONY: setup build demo test install install-files install-check bench gallery clean test-diffusers browser-setup test-browser bench-venv fuzz

setup:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v swift >/dev/null || { echo "The Swift toolchain is required (swift not on PATH)."; exit 1; }

build: setup
	swift build -c release --product atlas $(SWIFT_BUILD_FLAGS)

demo: build
	@mkdir -p Output
	@for f in $(EXAMPLES); do $(ATLAS) render $$f --style preview --output Output || exit 1; done
	$(ATLAS) render Examples/sea-light.jsonl --style gallery --output Output/gallery
	$(ATLAS) render Examples/clockwork.jsonl --style preview --format png,html --output Output
	@echo "Renders are in Output/ (open Output/sea-light.png; Output/clockwork.html and Output/gallery/sea-light.html are data browser pages)."

# Tests are built optimised (the SIMD loops are ~100x slower at -Onone); -enable-testing keeps @testable imports.
test: setup
	swift test -c release -Xswiftc -enable-testing
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then $(MAKE) --no-print-directory test-browser; \
	else echo "Chromium not installed: skipping the page checks (make test-browser installs it)."; fi

# The static pages in headless Chromium (Debian's chromium + chromium-driver, Selenium in .venv-browser).
BROWSER_VENV := .venv-browser
SELENIUM := selenium==4.51.0
browser-setup:
	@missing=$$(for p in chromium chromium-driver; do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	@[ -x $(BROWSER_VENV)/bin/python ] || python3 -m venv $(BROWSER_VENV)
	@$(BROWSER_VENV)/bin/python -c "import selenium" 2>/dev/null || $(BROWSER_VENV)/bin/pip install -q $(SELENIUM)

test-browser: setup browser-setup
	swift build -c release -Xswiftc -enable-testing --product atlas   # the flags `make test` built with: nothing is rebuilt
	$(BROWSER_VENV)/bin/python Tests/Chromium/check_pages.py --atlas .build/release/atlas $(ARGS)

# The reference diffusers painter (Examples/diffusers), end to end with a tiny random pipeline on the
# CPU, in its own virtualenv from PyPI (torch is large: it is never needed by `make test`).
DIFFUSERS_VENV := .venv-diffusers
test-diffusers: setup
	swift build --product atlas
	@[ -x $(DIFFUSERS_VENV)/bin/python ] || python3 -m venv $(DIFFUSERS_VENV)
	@$(DIFFUSERS_VENV)/bin/python -c "import torch, diffusers, transformers, PIL, pytest" 2>/dev/null || \
		$(DIFFUSERS_VENV)/bin/pip install -q -r Examples/diffusers/requirements.txt
	ATLAS=$(CURDIR)/.build/debug/atlas $(DIFFUSERS_VENV)/bin/python -m pytest -q Examples/diffusers

install: build
	@$(MAKE) --no-print-directory install-files ATLAS=$(ATLAS)

# Copies a built binary (ATLAS=…) and its resources without building (the install test uses it on its own binary).
install-files:
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/Styles $(SHARE)/Fonts
	install -m 755 $(ATLAS) $(DESTDIR)$(PREFIX)/bin/atlas
	install -m 644 Styles/*.yaml $(SHARE)/Styles/
	install -m 644 Fonts/fonts.conf $(SHARE)/Fonts/
	@echo "installed $(DESTDIR)$(PREFIX)/bin/atlas (resources in $(SHARE))"

# The whole promise, slowly (a full release build): a fresh clone of this commit is built and
# installed, the clone is deleted, and the installed copy, moved elsewhere, renders from /tmp.
install-check: setup
	@set -e; tmp=$$(mktemp -d /tmp/atlas-install-check.XXXXXX); \
	git clone -q . $$tmp/clone; \
	$(MAKE) --no-print-directory -C $$tmp/clone install PREFIX=$$tmp/prefix; \
	rm -rf $$tmp/clone; mv $$tmp/prefix $$tmp/moved; mkdir $$tmp/work; cp Examples/civic.jsonl $$tmp/work/; \
	echo "shared libraries:" $$(ldd $$tmp/moved/bin/atlas | awk '{print $$1}' | sort | tr '\n' ' '); \
	cd $$tmp/work && $$tmp/moved/bin/atlas render civic.jsonl --style preview --output out && test -s out/civic.png; \
	rm -rf $$tmp; echo "install-check: the moved install rendered from /tmp without its checkout"

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
