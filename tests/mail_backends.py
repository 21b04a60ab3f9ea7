"""An email backend for tests with a real worker: it writes one line per email handed to it
("mailing id, tab, address") to the file named by MAIL_RECORD, after MAIL_DELAY seconds, the
way a slow mail server takes each message."""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class RecordingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        delay = float(os.environ.get("MAIL_DELAY", "0"))
        with open(os.environ["MAIL_RECORD"], "a", encoding="utf-8") as record:
            for message in email_messages:
                message.message()  # rendered to MIME, as a mail server would receive it
                if delay:
                    time.sleep(delay)
                record.write(f"{message.extra_headers.get('X-Mailing', '')}\t{message.to[0]}\n")
                record.flush()
        return len(email_messages)
