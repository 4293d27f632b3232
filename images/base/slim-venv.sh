#!/bin/sh
# Run in the same RUN as a `pip install` (so the files never land in a layer): drops what a stage never
# executes from the virtualenv: packages' test suites, C headers and Cython sources (about 80 MB with pandas,
# numpy and pyarrow).
set -eu
site="$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
find "$site" -mindepth 2 -type d -name tests -prune -exec rm -rf {} +
rm -rf "$site/pyarrow/include" "$site/pyarrow/src" "$site/numpy/_core/include" "$site/numpy/f2py/src"
find "$site" \( -name '*.pyx' -o -name '*.pxd' -o -name '*.pxi' -o -name '*.h' -o -name '*.hpp' \) -delete
