# Dockerfile - cleave in a container, for CI systems other than GitHub
# Actions (GitLab CI, Jenkins, Buildkite...): Debian 12, built from this
# tree, installed from its own Debian package.
#
#   docker build -t cleave .
#   docker run --rm -v "$PWD:/src" cleave check . --plan plan.json
#
# Two stages.  The first installs the build packages (the Makefile's
# BUILD_PACKAGES and DEB_PACKAGES, plus git for the commit `cleave
# --version` names) and builds the .deb with the commands of the README's
# "Installing" section; the second is a plain Debian 12 that installs that
# .deb with apt-get, which brings exactly the runtime libraries the
# package's Depends names (libclang, clang's builtin headers, cJSON,
# Graphviz) and nothing of the build.  tests/e2e/dockerfile.py checks the
# package names and that these commands are the README's.
FROM debian:12 AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       cmake make gcc pkg-config libclang-dev libcjson-dev libgraphviz-dev dpkg-dev file git \
    && rm -rf /var/lib/apt/lists/*
COPY . /src
WORKDIR /src
RUN cmake -S . -B build-deb -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF
RUN cmake --build build-deb -j"$(nproc)"
RUN cpack --config build-deb/CPackConfig.cmake -B build-deb

FROM debian:12
COPY --from=build /src/build-deb/cleave_*.deb /tmp/
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/cleave_*.deb \
    && rm -rf /var/lib/apt/lists/* /tmp/cleave_*.deb \
    && cleave --version
WORKDIR /src
ENTRYPOINT ["cleave"]
CMD ["--help"]
