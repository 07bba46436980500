"""Credentials: cloud keys, service tokens, private key blocks, JWTs, connection strings with passwords.

Token formats follow the vendors' published prefixes and lengths. Every pattern that begins with a character
class repeated is anchored by a lookbehind on the same class, so it starts once per run of token characters.
"""

from __future__ import annotations

from . import BLOCK, HITL, PatternDef


def _s(name: str, regex: str, decision=BLOCK, *, ignore_case: bool = False, description: str = "") -> PatternDef:
    return PatternDef(name=name, category="secret", regex=regex, decision=decision, ignore_case=ignore_case,
                      sensitive=True, description=description)


_B64 = r"A-Za-z0-9+/"
_TOK = r"A-Za-z0-9_\-"

SECRETS: tuple[PatternDef, ...] = (
    # --- cloud providers ---------------------------------------------------------------------------------
    _s("aws_access_key_id",
       r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA|A3T[A-Z0-9])"
       r"[A-Z0-9]{16}(?![A-Za-z0-9])",
       description="AWS access key id (AKIA..., ASIA... temporary)"),
    _s("aws_secret_access_key",
       rf"(?i:aws)[_\-. ]{{0,2}}(?i:secret)[_\-. ]{{0,2}}(?i:access)?[_\-. ]{{0,2}}(?i:key)?[\"']?\s{{0,5}}"
       rf"(?:[:=]|=>|:=)\s{{0,5}}[\"']?[{_B64}]{{40}}(?![{_B64}])",
       description="an AWS secret access key assigned to a variable named like one"),
    _s("gcp_api_key", rf"(?<![{_TOK}])AIza[{_TOK}]{{35}}(?![{_TOK}])"),
    _s("gcp_service_account_key",
       r"\"private_key_id\"\s{0,5}:\s{0,5}\"[0-9a-f]{40}\"",
       description="the private_key_id field of a Google service-account JSON key"),
    _s("gcp_oauth_token", rf"(?<![{_TOK}.])ya29\.[{_TOK}]{{30,2048}}"),
    _s("azure_storage_account_key",
       rf"(?i:AccountKey)\s{{0,3}}=\s{{0,3}}[{_B64}]{{86}}==",
       description="AccountKey=... in an Azure storage connection string"),
    _s("azure_client_secret",
       r"(?<![A-Za-z0-9_~.\-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34}(?![A-Za-z0-9_~.\-])",
       description="Azure AD / Entra application client secret (the 'Q~' format)"),
    _s("azure_sas_token",
       r"[?&]sv=\d{4}-\d{2}-\d{2}&[^\s\"'<>]{0,300}?[?&]sig=[A-Za-z0-9%/+]{30,120}",
       description="Azure shared-access-signature URL"),
    # --- code hosting and CI -------------------------------------------------------------------------------
    _s("github_token", r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])"),
    _s("github_fine_grained_token", r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{82}(?![A-Za-z0-9_])"),
    _s("gitlab_token",
       rf"(?<![{_TOK}])gl(?:pat|dt|ptt|rt|cbt|oas|ft|imt|agent|soat)-[{_TOK}]{{20,64}}(?![{_TOK}])"),
    _s("npm_token", r"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])"),
    _s("pypi_token", rf"(?<![{_TOK}])pypi-AgEIcHlwaS5vcmc[{_TOK}]{{50,400}}"),
    # --- chat, payments, AI APIs ---------------------------------------------------------------------------
    _s("slack_token", rf"(?<![{_TOK}])xox[abposre]-[0-9]{{6,16}}-[{_TOK}]{{8,200}}"),
    _s("slack_webhook",
       r"https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,12}/[A-Z0-9]{6,12}/"
       r"[A-Za-z0-9]{16,40}"),
    _s("stripe_secret_key", r"(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}(?![A-Za-z0-9_])"),
    _s("openai_api_key",
       rf"(?<![{_TOK}])sk-(?:(?:proj|svcacct|admin)-[{_TOK}]{{40,250}}|[A-Za-z0-9]{{20}}T3BlbkFJ[A-Za-z0-9]{{20}}|"
       rf"[A-Za-z0-9]{{48}})(?![{_TOK}])",
       description="OpenAI-style API key (sk-..., sk-proj-...)"),
    _s("anthropic_api_key", rf"(?<![{_TOK}])sk-ant-(?:api|admin)\d{{2}}-[{_TOK}]{{80,120}}(?![{_TOK}])"),
    _s("huggingface_token", r"(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{34,40}(?![A-Za-z0-9_])"),
    _s("sendgrid_api_key", rf"(?<![{_TOK}.])SG\.[{_TOK}]{{22}}\.[{_TOK}]{{43}}(?![{_TOK}])"),
    _s("twilio_api_key", r"(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])"),
    # --- generic structures --------------------------------------------------------------------------------
    _s("private_key_block",
       r"-----BEGIN[ ](?:[A-Z0-9]{1,12}[ ]){0,3}PRIVATE[ ]KEY(?:[ ]BLOCK)?-----",
       description="PEM / OpenSSH / PGP private key block"),
    _s("jwt",
       rf"(?<![{_TOK}])eyJ[{_TOK}]{{7,4096}}\.eyJ[{_TOK}]{{3,8192}}\.[{_TOK}]{{0,2048}}",
       description="JSON Web Token (header.payload.signature, base64url)"),
    _s("connection_string_password",
       r"(?<![A-Za-z0-9+.\-])(?i:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|"
       r"sqlserver|oracle|jdbc:[a-z]{2,12}|ftp|sftp|smtps?|ldaps?)://[^\s:/@\"'<>]{1,128}:"
       r"[^\s@/\"'<>]{1,256}@[^\s\"'<>]{1,256}",
       description="database / broker URL with user:password@host"),
    _s("password_assignment",
       r"(?<![A-Za-z0-9_])(?i:password|passwd|pwd|secret_key|api_key|apikey|access_token|auth_token|"
       r"client_secret)[\"']?\s{0,5}(?:[:=]|=>|:=)\s{0,5}[\"'][^\s\"'<>]{8,256}[\"']",
       HITL,
       description="a quoted value assigned to a credential-named key (password = '...')"),
)
