"""The nginx site of the cluster (``deploy/nginx.conf.template``) as ``tools/cluster.py`` fills
it in: Debian's nginx accepts it (``nginx -t``), and only the three MVO variables are filled in
(nginx's own ``$variables`` stay, as the nginx image's envsubst leaves them in compose)."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from tools.cluster import NGINX, TEMPLATE, render_nginx_site

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def test_the_filled_in_template_should_pass_nginx_t(tmp_path):
    if not NGINX.exists():
        if IN_CI:
            pytest.fail(f"{NGINX} is missing: CI must test the cluster (apt-get install nginx)")
        pytest.skip(f"{NGINX} is missing (apt-get install nginx)")
    site = tmp_path / "mvo.conf"
    site.write_text(render_nginx_site("127.0.0.1:18080", "127.0.0.1:18501", "127.0.0.1:18502"))
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\n"
        "events {}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}; include {site}; }}\n"
    )
    done = subprocess.run(
        [str(NGINX), "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_only_the_mvo_variables_should_be_filled_in():
    raw = TEMPLATE.read_text()
    filled = render_nginx_site("80", "app1:8501", "app2:8501")
    assert set(re.findall(r"\$\{(\w+)\}", raw)) == {"MVO_LISTEN", "MVO_APP1", "MVO_APP2"}
    assert "${" not in filled
    assert re.findall(r"\$(?!\{)\w+", filled) == re.findall(r"\$(?!\{)\w+", raw)
    assert "server app1:8501" in filled and "server app2:8501" in filled
