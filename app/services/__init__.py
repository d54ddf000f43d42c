"""Use cases of MVO-paspoort, shared by the Streamlit pages and the ``mvo`` CLI.

Every function takes a ``Store`` (``app.store.Store``: database + catalogue) and a
``Principal`` (``app.services.principal``: who asks) and checks access itself; refusals are
``app.services.errors`` exceptions whose ``str()`` is a Dutch / English message for the user.

- ``auth``: ``authenticate(store, email, password) -> Principal`` (5 failures -> locked 15 min,
  counted atomically in the database before each check), ``user_for_identity(store, email,
  email_verified=)`` (OIDC / ``st.login``; a missing claim is not verified),
  ``get_principal(store, user_id)``, ``sign_up``, ``create_user`` / ``list_users`` /
  ``set_active`` / ``set_password`` (admin; both revoke the user's sessions); server-side
  sessions ``create_session`` / ``resolve_session`` / ``revoke_session`` /
  ``revoke_user_sessions``; sign-in tickets ``issue_signin_ticket`` / ``redeem_signin_ticket``
  (single use, bound to the browser); ``set_language`` / ``get_language`` (nl/en choice).
- ``organisations``: ``register_organisation(store, p, kbo=, name=, profile=, nace=, fte=,
  municipality=, consent_named=)``, ``register_or_claim`` (a known KBO -> pending claim),
  ``get_organisation``, ``my_organisation``,
  ``find_by_kbo``, ``update_organisation``, ``check_kbo``, ``propose_profile(catalogue,
  nace_code)`` (the sector profile whose NACE code matches longest).
- ``claims``: ``pending_claims``, ``decide_claim`` (federation of the sector for an
  organisation without own account, else admin), ``my_claims``.
- ``assessments``: ``start_assessment(store, p, organisation_id, year, profile=, framework=)``
  (pre-filled from last year), ``get_assessment`` -> ``AssessmentView`` (answers with their
  versions), ``save_answer(store, p, assessment_id, question_id, value, expected_version=,
  note=)`` (per-answer optimistic locking -> ``ConflictError``), ``submit`` (frozen by
  ``submission``),
  ``reopen`` (department/admin, audited), ``list_assessments``, ``history``,
  ``add_evidence`` / ``list_evidence`` / ``get_evidence_file`` / ``remove_evidence`` (names,
  types and the per-assessment quota ruled by ``evidence``; never for a federation).
- ``submission``: ``freeze(store, session, assessment_ids, principal=)`` -- the one place a
  score snapshot is built, from the stored answers (submit, import and demo call it);
  ``build_passport``. ``values``: ``encode_value`` / ``decode_value`` of stored answers.
- ``passports``: ``get_passport(store, p, assessment_id) -> PassportView``,
  ``get_benchmark(store, p, assessment_id) -> Benchmark``.
- ``federation``: ``require_sector``, ``sectors_of``, ``participation``, ``years``.
- ``disclosure``: the only way data leaves for a role: ``sector_release`` /
  ``sector_download`` (the federation's view and its PDF/XLSX/CSV/JSON: S9 cells with
  complementary suppression, S10 consenting members), ``benchmark_position`` (an SME's; a
  draft only a quartile band), ``anonymised_rows`` / ``anonymised_tables`` /
  ``anonymised_passports`` (keyed pseudonyms), ``deployment_secret``.
- ``department``: ``overview``, ``submitted_passports``, ``anonymised_rows``.
- ``importing``: ``import_answers(store, p, path, framework=, profile=, year=,
  skip_invalid=)`` -> ``ImportReport`` (Excel/CSV/JSON, all-or-nothing, one transaction;
  never into another sector or an assessment the SME started; ``ConflictError`` on a clash).
- ``demo``: ``seed_demo(store, if_empty=)`` (demo accounts and a synthetic population).
- ``carry_over``: the one place answers are carried into a new draft (roll-forward from last
  year, "answer once" across frameworks and from the organisation through ``vsme.sources``,
  with unit conversion); ``answer_sources(store, p, assessment_id)`` -> ``{question: Source}``,
  ``confirm_unchanged(store, p, assessment_id, question_ids)``, ``prefill_missing``;
  ``not_carried(store, p, assessment_id)`` -> ``list[NotCarried]`` (last year's answers a new
  framework version did not take over, and why, by the versions' ``carry_over`` blocks).
- ``vsme``: ``vsme_report(store, p, organisation_id, year) -> VsmeReport``,
  ``vsme_progress(...) -> list[DisclosureProgress]`` (completeness, never a score),
  ``vsme_download(store, p, organisation_id, year, format, language=) -> (name, bytes)``
  (page, CLI and batch), ``vsme_organisations``, ``vsme_assessment_id``.
"""
