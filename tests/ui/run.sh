#!/usr/bin/env bash
# UI specs: the real app under Xvfb in a private session (tests/session.sh), driven
# through AT-SPI by dogtail.   tests/ui/run.sh [--filter TEXT]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec "$here/../session.sh" --display python3 "$here/runner.py" "$@"
