"""The real transports of alert deliveries: webhooks over HTTP (httpx), e-mail over SMTP
(smtplib). Each failure becomes a `DeliveryFailed` with a short reason that the delivery keeps."""

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage

import httpx2 as httpx

from casebridge.alerts.ports import DeliveryFailed

MAX_REASON = 200


@dataclass(frozen=True, slots=True)
class Senders:
    """Sends what `alerts.service.deliver_due` prepared; wired in `bootstrap`."""

    timeout: float = 10.0
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: str = ""

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> None:
        try:
            # No redirects: the signature is for the endpoint registered, not another.
            response = httpx.post(url, content=body, headers=dict(headers), timeout=self.timeout)
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}"[:MAX_REASON]) from error
        if not response.is_success:
            raise DeliveryFailed(f"HTTP {response.status_code}")

    def send_mail(self, message: EmailMessage) -> None:
        if not self.smtp_host:
            raise DeliveryFailed("no SMTP server is configured (CASEBRIDGE_SMTP_HOST)")
        try:
            with smtplib.SMTP(self.smtp_host, self.smtp_port, timeout=self.timeout) as smtp:
                if self.smtp_starttls:
                    smtp.starttls()
                if self.smtp_username:
                    smtp.login(self.smtp_username, self.smtp_password)
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}"[:MAX_REASON]) from error
