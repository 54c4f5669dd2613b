"""The demo's mail: a real SMTP server on loopback (aiosmtpd) that the demo's hub sends to,
and the page that shows what it received, both on threads of the demo process."""
from __future__ import annotations

import os
import threading

from werkzeug.serving import make_server

from contoso_demo.network import QuietHandler
from hub.http.dev_mailbox import create_mailbox_app
from hub.mail.dev_server import DevSmtpServer

SENDER = "tickets@contoso.example"


class DemoMail:
    def __init__(self, data_dir: str, smtp_port: int, web_port: int):
        self.folder = os.path.join(data_dir, "mailbox")
        self.smtp = DevSmtpServer(self.folder, port=smtp_port)
        self.web = make_server("127.0.0.1", web_port, create_mailbox_app(self.smtp.mailbox),
                               threaded=True, request_handler=QuietHandler)
        self.url = f"http://127.0.0.1:{self.web.server_port}"
        self._thread = threading.Thread(target=self.web.serve_forever, daemon=True)

    def start(self) -> "DemoMail":
        self.smtp.start()
        self._thread.start()
        return self

    def hub_args(self) -> list[str]:
        """What `contoso hub run` needs to send here."""
        return ["--smtp-host", "127.0.0.1", "--smtp-port", str(self.smtp.port),
                "--smtp-security", "none", "--mail-from", SENDER]

    def stop(self) -> None:
        self.web.shutdown()
        self.web.server_close()
        self.smtp.stop()
