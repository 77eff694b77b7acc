#!/bin/sh
# Tools the media tests use to make real files at test time: ffmpeg (CAF voice
# messages, videos, and the converter itself) and libheif-examples (heif-enc
# for HEIC photos, heif-convert for the converter). Idempotent.
set -eu
missing=""
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || missing="$missing ffmpeg"
command -v heif-enc >/dev/null 2>&1 && command -v heif-convert >/dev/null 2>&1 || missing="$missing libheif-examples"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "media tests need:$missing (run as root, or: sudo apt-get install -y$missing)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
