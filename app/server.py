"""The web server entry point: ``streamlit run app/server.py`` (what ``make run`` starts).

Streamlit's ``st.App`` serves the app script ``app/main.py`` together with the session routes
(``POST /session/signin``, ``POST /session/signout``) and the security-headers middleware of
``app.web``. ``streamlit run`` finds the ``app`` object below and serves it with uvicorn.
"""

import streamlit as st
from starlette.middleware import Middleware

from app.web import SecurityHeadersMiddleware, routes

app = st.App("main.py", routes=routes(), middleware=[Middleware(SecurityHeadersMiddleware)])
