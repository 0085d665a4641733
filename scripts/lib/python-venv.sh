# Shared by the scripts that run Python tools from PyPI (source it): a virtual environment
# under target/, installed from a file of pinned requirements and made anew only when the pins
# change or the Python it was made from has gone. Needs python3 with venv (Debian:
# python3-venv) and PyPI; without them it fails, naming what is missing.

# python_venv SCRIPT VENV REQUIREMENTS MODULE: VENV holds exactly REQUIREMENTS, and MODULE
# imports in it. SCRIPT names the caller in messages.
python_venv() {
    local script=$1 venv=$2 requirements=$3 module=$4
    if ! command -v python3 >/dev/null 2>&1; then
        echo "$script: python3 not found: install it (Debian package python3, with python3-venv)" >&2
        exit 1
    fi
    if "$venv/bin/python" -c "import $module" >/dev/null 2>&1 &&
        cmp -s "$requirements" "$venv/requirements.txt"; then
        return 0
    fi
    echo "$script: installing $requirements into $venv"
    rm -rf "$venv"
    if ! python3 -m venv "$venv"; then
        echo "$script: python3 cannot create a virtual environment: install the Debian package python3-venv" >&2
        exit 1
    fi
    if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"; then
        echo "$script: pip could not install $requirements from PyPI" >&2
        exit 1
    fi
    cp "$requirements" "$venv/requirements.txt"
}
