#!/usr/bin/env bash
# Builds a minimal Java 17 base image from the local JDK with jlink, for machines that cannot pull
# a JRE image from a registry:   build-jlink-base-image.sh [TAG]   (default scrapinghubio/jre17-jlink:local)
#
# The image is FROM scratch: a jlink runtime under /opt/java/openjdk, the shared libraries it links
# against (copied from this machine, so the image runs on this machine's architecture and glibc),
# and a /tmp. Users with a registry do not need it: the emulator's Dockerfile defaults to a normal
# JRE image.
set -euo pipefail

tag=${1:-scrapinghubio/jre17-jlink:local}
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
jlink="$java_home/bin/jlink"
[ -x "$jlink" ] || { echo "jlink not found under $java_home (set JAVA_HOME to a JDK 17)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
runtime="$rootfs/opt/java/openjdk"
mkdir -p "$rootfs"

# The modules a JDK-HttpServer + Jackson application (and most small services) use; jdk.crypto.ec
# for TLS clients, jdk.unsupported for libraries that use sun.misc.Unsafe. The command line's image
# (src/scrapinghub-cli/docker) runs Beam and embedded Flink on it, which also need java.desktop
# (java.beans: Beam's pipeline options), jdk.management (com.sun.management: Flink's CPU metrics)
# and java.rmi + java.management.rmi (Flink's JMX service, asked for by every TaskManager).
"$jlink" --add-modules java.base,java.desktop,java.logging,java.management,java.management.rmi,java.naming,java.net.http,java.rmi,java.sql,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.unsupported,jdk.zipfs \
  --output "$runtime" --strip-debug --no-header-files --no-man-pages

# Shared libraries of the launcher and the JVM. ldd prints "name => path (addr)" for libraries and
# the bare path for the dynamic loader; libraries inside the runtime itself are skipped.
libraries=$(for binary in "$runtime/bin/java" "$runtime/lib/server/libjvm.so"; do
  ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
done | grep -v "^$runtime" | sort -u)
# Native libraries shipped inside jars (zstd-jni for the command line's --compression=zstd, Netty's
# epoll transport) also link against glibc's libpthread, libdl and librt, which the JVM itself does
# not: take them from libc's folder (small stubs since glibc 2.34).
libc_dir=$(dirname "$(echo "$libraries" | grep '/libc\.so\.6$' | head -1)")
for name in libpthread.so.0 libdl.so.2 librt.so.1; do
  if [ -e "$libc_dir/$name" ]; then
    libraries=$(printf '%s\n%s' "$libraries" "$libc_dir/$name" | sort -u)
  fi
done
for lib in $libraries; do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
mkdir -m 1777 "$rootfs/tmp"

cat >"$work/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin
DOCKERFILE
# The classic builder: it uses local images as they are and needs no buildx plugin.
if ! log=$(DOCKER_BUILDKIT=0 docker build -t "$tag" "$work" 2>&1); then
  echo "$log" >&2
  exit 1
fi
echo "built $tag ($(du -sm "$rootfs" | cut -f1) MB: jlink runtime and $(echo "$libraries" | wc -w) system libraries)"
