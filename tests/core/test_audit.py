def test_audit_actions_read_as_words():
    from core.audit import action_label

    assert action_label("crm.note.added") == "Note added"
    assert action_label("pact.pledge.published") == "Pledge published"
    # A code nobody labelled still reads as words.
    assert action_label("forums.body.member_appointed") == "Body member appointed"
