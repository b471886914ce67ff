#!/usr/bin/env bash
# Builds the emulator's container image from this source tree:
#   build-emulator-image.sh [--tag TAG] [--base BASE_IMAGE]
# Defaults: tag scrapinghubio/scrapy-cloud-emulator:local, base eclipse-temurin:17-jre (pulled from a
# registry); where no registry can be reached, first run build-jlink-base-image.sh and pass
# --base scrapinghubio/jre17-jlink:local.
# Packages the emulator module with Maven (tests skipped; extra Maven flags from $MAVEN_ARGS), then
# builds the image from its jar and runtime dependencies.
set -euo pipefail

tag=scrapinghubio/scrapy-cloud-emulator:local
base=eclipse-temurin:17-jre
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag=$2; shift 2 ;;
    --base) base=$2; shift 2 ;;
    *) echo "usage: $0 [--tag TAG] [--base BASE_IMAGE]" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
module=$(dirname "$here")
context="$module/target/docker-context"
rm -rf "$context"
mkdir -p "$context/lib"

# shellcheck disable=SC2086 # MAVEN_ARGS is a list of flags
mvn -B -q -Dstyle.color=never -f "$module/pom.xml" ${MAVEN_ARGS:-} package dependency:copy-dependencies \
  -DskipTests -DincludeScope=runtime -DoutputDirectory="$context/lib"
jar=$(ls "$module"/target/scrapy-cloud-emulator-*.jar | grep -v -e '-sources' -e '-javadoc' -e '-tests' | head -1)
cp "$jar" "$context/lib/"
cp "$here/Dockerfile" "$context/"

# The classic builder: it uses a local base image as it is and needs no buildx plugin.
if ! log=$(DOCKER_BUILDKIT=0 docker build --build-arg "BASE_IMAGE=$base" -t "$tag" "$context" 2>&1); then
  echo "$log" >&2
  exit 1
fi
echo "built $tag on $base ($(ls "$context/lib" | wc -l) jars)"
