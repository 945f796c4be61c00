#!/usr/bin/env bash
# Install the peer linters for benchmarks/run.py into benchmarks/.tools (not committed).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p .tools
python3 -m venv .tools/pyenv
.tools/pyenv/bin/pip install -q "proselint==0.16.0"
# Vale's module path moved from github.com/errata-ai/vale to github.com/vale-cli/vale
GOBIN="$PWD/.tools/bin" go install github.com/vale-cli/vale/v3/cmd/vale@v3.21.0
npm install --silent --prefix "$PWD/.tools/npm" alex@11.0.1 write-good@1.0.8
echo "peers installed in benchmarks/.tools"
