from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "motcua.api"
    label = "api"

    def ready(self) -> None:
        from motcua.accounts.queries import remember_verification, verification_sql
        from motcua.backoffice.second_factor import session_verified
        from motcua.core.api.auth import read_with_token, require_of_sessions
        from motcua.dossiers.queries import holds_role_sql, no_officer_roles

        def officer_role_column(user_id: str) -> dict[str, str]:
            return {"holds_officer_role": holds_role_sql(user_id)}

        def remember_officer_role(user) -> None:
            if not user.holds_officer_role:
                no_officer_roles(user)

        # Whether the caller holds any officer role, and what their account proved, are
        # read with the token's user.
        read_with_token(officer_role_column, remember_officer_role)
        read_with_token(verification_sql, remember_verification)
        # A leader's session that skipped the one-time code does not reach the API either.
        require_of_sessions(session_verified)
