"""What happened to a case, for other apps to act on (alerts e-mail followers and region subscribers).

The moderation functions send these inside their transaction, right after the audit row; a
receiver that sends anything does so once the transaction commits.
"""

from django.dispatch import Signal

# A case became public for the first time (never sent again on a republish or for demo data).
case_first_published = Signal()
# A published case's person was found.
case_found = Signal()
# A case left the site (taken down by staff, or withdrawn after the retention period).
case_withdrawn = Signal()
