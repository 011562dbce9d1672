"""Accounts: single sign-on (统一身份认证), password reset by e-mail, the
office's one-time codes and the first-password rule (README「统一身份认证与密码」)."""
