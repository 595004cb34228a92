from django import forms
from django.utils.translation import gettext_lazy as _

from journey.models import Role, User


class LookupForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"))


class EraseForm(forms.Form):
    email = forms.EmailField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For the register, for example: “asked by e-mail on 3 March”."),
    )
    reassign_to = forms.ModelChoiceField(
        label=_("Hand their SMEs and plans to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Their launchpad's manager"),
        help_text=_("Only for a staff member."),
    )
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."))

    def __init__(self, *args, launchpad_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reassign_to"].queryset = User.objects.filter(
            is_active=True,
            role__in=[Role.ACCOUNT_MANAGER, Role.LAUNCHPAD_MANAGER],
            launchpad_id__in=list(launchpad_ids),
        )
