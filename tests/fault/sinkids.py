# SPDX-License-Identifier: MIT
"""sinkids.py: the messages an SMTP test server kept, one line each: Message-ID, TAB, the
envelope recipient. Reads smtp-sink's dump files (-d) or the files tests/fixtures/smtpd.py
writes, from the folders given."""
import email
import email.policy
import os
import sys


def main():
    for d in sys.argv[1:]:
        if not os.path.isdir(d):
            continue
        for root, _dirs, files in os.walk(d):
            for name in sorted(n for n in files if not n.endswith(".log")):
                with open(os.path.join(root, name), "rb") as f:
                    raw = f.read()
                if not raw.strip():
                    continue
                m = email.message_from_bytes(raw, policy=email.policy.compat32)
                mid = (m.get("Message-ID") or "").strip().replace("\r\n", "").replace("\n", "")
                rcpt = (m.get("X-Rcpt-Args") or m.get("X-Rcpt") or "").strip()
                print(f"{mid}\t{rcpt}")


if __name__ == "__main__":
    main()
