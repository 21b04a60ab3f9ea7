"""Subscriptions to the AI Office's updates and mailings to segments of the CRM.

- `models`: topics, subscriptions (double opt-in), mailings, one row per recipient, and the
  suppression list every send honours.
- `services`: subscribe, confirm, change preferences, unsubscribe (people); compose, test,
  schedule and cancel mailings (staff).
- `sending`: the audience of a mailing and the batches a Celery worker sends, claimed row by
  row so that a worker killed mid-batch never sends anyone the same mailing twice.
- `segments` of people come from the other apps through `crm.registry.mailing_segments`.
"""
