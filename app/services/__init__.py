"""Use cases of MVO-paspoort, shared by the Streamlit pages and the ``mvo`` CLI.

Every function takes a ``Store`` (``app.store.Store``: database + catalogue) and a
``Principal`` (``app.services.principal``: who asks) and checks access itself; refusals are
``app.services.errors`` exceptions whose ``str()`` is a Dutch / English message for the user.

- ``auth``: ``authenticate(store, email, password) -> Principal`` (5 failures -> locked 15 min,
  counted in the database), ``user_for_identity(store, email)`` (OIDC / ``st.login``),
  ``get_principal(store, user_id)``, ``sign_up``, ``create_user`` / ``list_users`` /
  ``set_active`` / ``set_password`` (admin; both revoke the user's sessions); server-side
  sessions ``create_session`` / ``resolve_session`` / ``revoke_session`` /
  ``revoke_user_sessions``; ``set_language`` / ``get_language`` (the user's nl/en choice).
- ``organisations``: ``register_organisation(store, p, kbo=, name=, profile=, nace=, fte=,
  municipality=, consent_named=)``, ``get_organisation``, ``my_organisation``,
  ``find_by_kbo``, ``update_organisation``, ``check_kbo``, ``propose_profile(catalogue,
  nace_code)`` (the sector profile whose NACE code matches longest).
- ``assessments``: ``start_assessment(store, p, organisation_id, year, profile=, framework=)``
  (pre-filled from last year), ``get_assessment`` -> ``AssessmentView`` (answers with their
  versions), ``save_answer(store, p, assessment_id, question_id, value, expected_version=,
  note=)`` (per-answer optimistic locking -> ``ConflictError``), ``submit`` (snapshot),
  ``reopen`` (department/admin, audited), ``list_assessments``, ``history``,
  ``add_evidence`` / ``list_evidence`` / ``get_evidence_file`` / ``remove_evidence`` (names,
  types and the per-assessment quota ruled by ``evidence``; never for a federation).
- ``passports``: ``get_passport(store, p, assessment_id) -> PassportView``,
  ``get_benchmark(store, p, assessment_id) -> Benchmark``.
- ``federation``: ``sectors_of``, ``participation``, ``members`` (names only of consenting
  members), ``sector_snapshots``, ``years``.
- ``department``: ``overview``, ``submitted_passports``, ``anonymised_rows``.
- ``importing``: ``import_answers(store, p, path, framework=, profile=, year=,
  skip_invalid=)`` -> ``ImportReport`` (Excel/CSV/JSON, all-or-nothing).
- ``demo``: ``seed_demo(store, if_empty=)`` (demo accounts and a synthetic population).
"""
