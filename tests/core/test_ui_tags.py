def test_joined_parts_leave_no_dangling_separator():
    from core.templatetags.ui import joined

    assert joined("Slovenia", "", None) == "Slovenia"
    assert joined("Slovenia", "123456789-12") == "Slovenia · 123456789-12"
