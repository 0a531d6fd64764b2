# Sourced by scripts: makes sure .venv (ignored by git) holds the pinned Python tools
# from scripts/requirements.txt, and puts it first on PATH.
# Re-installs only when requirements.txt changed since the last install.
vend_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
vend_venv="$vend_root/.venv"
vend_reqs="$vend_root/scripts/requirements.txt"
if [ ! -x "$vend_venv/bin/python" ]; then
  echo "venv: creating $vend_venv" >&2
  python3 -m venv "$vend_venv" >&2
fi
if ! cmp -s "$vend_reqs" "$vend_venv/.installed-requirements.txt"; then
  echo "venv: installing pinned Python tools (scripts/requirements.txt)" >&2
  "$vend_venv/bin/pip" install --quiet --disable-pip-version-check -r "$vend_reqs" >&2
  cp "$vend_reqs" "$vend_venv/.installed-requirements.txt"
fi
export PATH="$vend_venv/bin:$PATH"
