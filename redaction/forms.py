from django import forms


class RedactionForm(forms.Form):
    file = forms.FileField(
        label="Redacted version",
        help_text="The portal checks the file's contents like any upload, then extracts its "
        "text for search from this file alone.",
    )
    note = forms.CharField(
        label="What was redacted",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the filing's history: which passages or pages, and why.",
    )

    def __init__(self, *args, accept: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Browsers offer these in the file picker; the server still judges the bytes.
        self.fields["file"].widget.attrs["accept"] = accept
