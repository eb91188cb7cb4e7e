# The `atlas` image the cluster examples run (Examples/cluster/). Two stages:
#
#   build:   the Swift toolchain image for Debian 12 (bookworm); `make install` apt-installs the -dev
#            packages the Makefile lists, builds `atlas` in release with the Swift runtime linked in
#            statically, and installs it with its styles and font configuration under /opt/latentatlas.
#   runtime: Debian 12 slim with only the shared libraries `atlas` links (Cairo, Pango, fontconfig,
#            libpng, libdeflate) and the pinned fonts: no compiler, no -dev packages.
#
#   docker build -t latentatlas:0.1.0 .
#   docker run --rm -v "$PWD:/data" -w /data latentatlas:0.1.0 render Examples/sea-light.jsonl --style preview
#
# Keep SWIFT_VERSION the toolchain the project is tested with (`swift --version`).
ARG SWIFT_VERSION=6.3.1

FROM swift:${SWIFT_VERSION}-bookworm AS build
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make install PREFIX=/opt/latentatlas SWIFT_BUILD_FLAGS=--static-swift-stdlib

FROM debian:bookworm-slim AS runtime
# Shared libraries of the static-stdlib binary (see `ldd /opt/latentatlas/bin/atlas`) and the fonts
# Fonts/fonts.conf names; the image holds nothing else.
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libcairo2 libpango-1.0-0 libpangocairo-1.0-0 libpangoft2-1.0-0 libfontconfig1 libfreetype6 \
        libharfbuzz0b libglib2.0-0 libpng16-16 libdeflate0 libstdc++6 zlib1g \
        fonts-inter fonts-noto-cjk fonts-noto-core fonts-noto-color-emoji \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/latentatlas /opt/latentatlas
ENV PATH=/opt/latentatlas/bin:$PATH
# Renders never run as root; /data is where the examples mount their shared volume.
RUN useradd --create-home --uid 1000 atlas && mkdir -p /data && chown atlas /data
USER atlas
WORKDIR /data
ENTRYPOINT ["atlas"]
CMD ["--help"]
