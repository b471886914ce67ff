#!/usr/bin/env bash
# Builds the command line's container image from this source tree:
#   build-cli-image.sh [--tag TAG] [--base BASE_IMAGE] [--jar FILE]
# Defaults: tag scrapinghubio/scrapinghub-io-cli:local, base eclipse-temurin:17-jre (pulled from a
# registry); where no registry can be reached, first run
# src/scrapy-cloud-emulator/docker/build-jlink-base-image.sh and pass --base scrapinghubio/jre17-jlink:local.
# Without --jar, packages the executable jar (src/scrapinghub-cli/target/scrapinghub-io.jar) with
# Maven from this tree's sources: the command line and the modules it depends on, tests skipped
# (extra Maven flags from $MAVEN_ARGS). With --jar, takes that jar as it is, e.g. the one
# `mvn install` built.
set -euo pipefail

tag=scrapinghubio/scrapinghub-io-cli:local
base=eclipse-temurin:17-jre
jar=
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag=$2; shift 2 ;;
    --base) base=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    *) echo "usage: $0 [--tag TAG] [--base BASE_IMAGE] [--jar FILE]" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
module=$(dirname "$here")
root=$(cd "$module/../.." && pwd)

if [ -z "$jar" ]; then
  # -am: the client, Beam and emulator modules from this tree too, not older jars of a local repository.
  # shellcheck disable=SC2086 # MAVEN_ARGS is a list of flags
  mvn -B -q -Dstyle.color=never -f "$root/pom.xml" ${MAVEN_ARGS:-} package -pl src/scrapinghub-cli -am \
    -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
  jar="$module/target/scrapinghub-io.jar"
fi
[ -f "$jar" ] || { echo "no jar at $jar: run \`mvn -B install -DskipTests\` first, or leave out --jar" >&2; exit 1; }

context="$module/target/docker-context"
rm -rf "$context"
mkdir -p "$context/data"
cp "$jar" "$context/scrapinghub-io.jar"
cp "$here/Dockerfile" "$context/"

# The classic builder: it uses a local base image as it is and needs no buildx plugin.
if ! log=$(DOCKER_BUILDKIT=0 docker build --build-arg "BASE_IMAGE=$base" -t "$tag" "$context" 2>&1); then
  echo "$log" >&2
  exit 1
fi
rm -rf "$context" # the jar's copy (130 MB) is in the image now
echo "built $tag on $base ($(du -m "$jar" | cut -f1) MB jar)"
