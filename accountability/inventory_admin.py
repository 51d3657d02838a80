"""The inventory in the staff admin: propose, approve, put in use, retire, edit details.

Every change goes through content.inventory.lifecycle, which records it as an
InventoryEvent for the public history; the forms here only collect and show.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput

from accountability.roles import public_role
from content.inventory.lifecycle import STEPS, change_details, propose, take_step
from content.inventory.models import InventoryEntry, InventoryEvent

Action = InventoryEvent.Action
# The URL name and the button label of each step, in the admin.
STEP_VIEWS = {
    Action.APPROVED: ("approve", "Approve"),
    Action.PUT_IN_USE: ("put_in_use", "Put in use"),
    Action.RETIRED: ("retire", "Retire"),
}


def history_note_field():
    return forms.CharField(
        label="Note for the history",
        required=False,
        widget=forms.Textarea,
        help_text="Shown in the public inventory history. Optional.",
    )


class ProposeForm(WagtailAdminModelForm):
    note = history_note_field()

    class Meta:
        model = InventoryEntry
        fields = [
            "agency",
            "technology",
            "vendor",
            "proposed_on",
            "planned_acquisition_on",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_on"].required = True


class DetailsForm(WagtailAdminModelForm):
    note = history_note_field()

    class Meta:
        model = InventoryEntry
        fields = ["vendor", "planned_acquisition_on", "notes"]


class StepForm(forms.Form):
    on = forms.DateField(label="Date", widget=AdminDateInput)
    note = history_note_field()


def _refused(view, form, error: ValidationError):
    """Show the lifecycle's refusal on the form; nothing was saved."""
    form.add_error(None, error)
    view.produced_error_message = "Nothing was saved; see the errors below."
    return view.form_invalid(form)


class ProposeView(generic.CreateView):
    page_subtitle = "Propose a technology"
    submit_button_label = "Propose"
    success_message = "%(object)s proposed."

    def form_valid(self, form):
        self.form = form
        data = form.cleaned_data
        try:
            self.object = propose(
                agency=data["agency"],
                technology=data["technology"],
                vendor=data["vendor"],
                proposed_on=data["proposed_on"],
                planned_acquisition_on=data["planned_acquisition_on"],
                notes=data["notes"],
                actor=self.request.user,
                actor_role=public_role(self.request.user),
                note=data["note"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            return _refused(self, form, error)
        return self.save_action()


class EditDetailsView(generic.EditView):
    success_message = "%(object)s updated."

    def form_valid(self, form):
        self.form = form
        data = form.cleaned_data
        try:
            self.object = change_details(
                self.object,
                vendor=data["vendor"],
                planned_acquisition_on=data["planned_acquisition_on"],
                notes=data["notes"],
                actor=self.request.user,
                actor_role=public_role(self.request.user),
                note=data["note"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            return _refused(self, form, error)
        return self.save_action()


class KeepRecordedEntriesDeleteView(generic.DeleteView):
    """An entry with recorded history stays: retire it instead."""

    def form_valid(self, form):
        if self.object.events.exists():
            messages.error(
                self.request,
                "This entry has a recorded history, which the public can read; retire it "
                "instead of deleting it.",
            )
            return redirect(self.get_success_url())
        return super().form_valid(form)


class StepView(PermissionCheckedMixin, generic.base.WagtailAdminTemplateMixin, FormView):
    """Approve, put in use or retire one entry, on a date staff give."""

    model = InventoryEntry
    permission_required = "change"
    form_class = StepForm
    template_name = "accountability/admin/inventory_step.html"
    header_icon = "list-ul"
    action: Action = None

    @cached_property
    def entry(self) -> InventoryEntry:
        return get_object_or_404(
            InventoryEntry.objects.select_related("agency", "technology", "vendor"),
            pk=self.kwargs["pk"],
        )

    def get_page_title(self):
        return f"{STEP_VIEWS[self.action][1]}: {self.entry.agency}, {self.entry.technology}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("inventory:index"), "label": "Inventory"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_initial(self):
        return {"on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        starts_from, _ = STEPS[self.action]
        return super().get_context_data(
            entry=self.entry,
            step_label=STEP_VIEWS[self.action][1],
            allowed=self.entry.status in starts_from,
            events=self.entry.events.order_by("on", "recorded_at", "pk"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            entry = take_step(
                self.entry,
                self.action,
                form.cleaned_data["on"],
                actor=self.request.user,
                actor_role=public_role(self.request.user),
                note=form.cleaned_data["note"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{entry} recorded: {self.action.label.lower()}.")
        return redirect("inventory:index")


class InventoryIndexView(generic.IndexView):
    add_item_label = "Propose a technology"

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for action, (url_name, label) in STEP_VIEWS.items():
            starts_from, _ = STEPS[action]
            if instance.status in starts_from:
                buttons.append(
                    MenuItem(
                        label, reverse(f"inventory:{url_name}", args=[instance.pk]), priority=5
                    )
                )
        return buttons


class InventoryViewSet(ModelViewSet):
    model = InventoryEntry
    icon = "list-ul"
    menu_label = "Inventory"
    index_view_class = InventoryIndexView
    add_view_class = ProposeView
    edit_view_class = EditDetailsView
    delete_view_class = KeepRecordedEntriesDeleteView
    # A copy would bypass the lifecycle and its record.
    copy_view_enabled = False
    list_display = [
        "agency",
        "technology",
        "vendor",
        "status",
        "proposed_on",
        "approved_on",
        "in_use_since",
        "retired_on",
    ]
    list_filter = ["status", "agency", "technology"]

    def get_form_class(self, for_update=False):
        return DetailsForm if for_update else ProposeForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            *(
                path(
                    f"{url_name.replace('_', '-')}/<int:pk>/",
                    StepView.as_view(action=action),
                    name=url_name,
                )
                for action, (url_name, _) in STEP_VIEWS.items()
            ),
        ]
