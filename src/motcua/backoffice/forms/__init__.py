"""Back-office forms, one module per concern: signing in (`access`), the inbox filters
(`inbox`), one form per dossier action (`actions`), counter reception (`counter`), and the
file inputs the last two share (`files`). Forms only shape input; the dossiers service decides
and writes.
"""

from .access import OfficerAuthenticationForm, SecondFactorForm
from .actions import (
    ACTION_FORMS,
    ActionForm,
    ApologizeForm,
    DateTimeLocalInput,
    FinishForm,
    ForwardForm,
    MoveForm,
    ReceiveForm,
    RecordPaymentForm,
    RefuseForm,
    RequestPaymentForm,
    RequestSupplementForm,
    ReturnResultForm,
    SendBackForm,
    StopForm,
    SupplementForm,
    TransferForm,
)
from .counter import CounterForm
from .files import ACCEPT, MultipleFileField, MultipleFileInput
from .inbox import InboxFilterForm

__all__ = [
    "ACCEPT",
    "ACTION_FORMS",
    "ActionForm",
    "ApologizeForm",
    "CounterForm",
    "DateTimeLocalInput",
    "FinishForm",
    "ForwardForm",
    "InboxFilterForm",
    "MoveForm",
    "MultipleFileField",
    "MultipleFileInput",
    "OfficerAuthenticationForm",
    "ReceiveForm",
    "RecordPaymentForm",
    "RefuseForm",
    "RequestPaymentForm",
    "RequestSupplementForm",
    "ReturnResultForm",
    "SecondFactorForm",
    "SendBackForm",
    "StopForm",
    "SupplementForm",
    "TransferForm",
]
