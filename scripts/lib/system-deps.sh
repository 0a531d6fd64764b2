# Sourced by scripts: installs the Debian packages a fresh machine with Swift lacks.
# Only what is missing is installed; apt-get runs as root or through sudo.
vend_missing=()
pkg-config --exists libarchive 2>/dev/null || vend_missing+=(libarchive-dev pkg-config)
command -v pkg-config >/dev/null 2>&1 || vend_missing+=(pkg-config)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || vend_missing+=(python3-venv)
# vend loads libcurl and libxml2 with dlopen when a command first needs them (not linked).
vend_libs="$( { ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null || true)"
grep -q 'libcurl\.so\.4 ' <<<"$vend_libs" || vend_missing+=(libcurl4)
grep -q 'libxml2\.so\.2 ' <<<"$vend_libs" || vend_missing+=(libxml2)
if [ ${#vend_missing[@]} -gt 0 ]; then
  echo "system: installing ${vend_missing[*]} (Debian packages)" >&2
  vend_sudo=""
  [ "$(id -u)" -eq 0 ] || vend_sudo="sudo"
  $vend_sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $vend_sudo apt-get install -y -qq --no-install-recommends "${vend_missing[@]}" >&2
fi
unset vend_missing vend_sudo vend_libs
