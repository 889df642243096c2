"""Guided multi-turn dialogs: partner data entry (``"profile"``) and the co-sell walkthrough (``"cosell"``).

    ProfileDialog(partners, today)   # dialog id "profile": asks the C.1 summary inputs, stores each answer
    CosellDialog(partners, today)    # dialog id "cosell": picks an offer, asks what still matters, checklist

Both are ``ComponentDialog``s that the router adds to its ``DialogSet``; see their modules for the
begin options. Every answer is stored through :class:`dialogs.ports.PartnerRepository` as soon as it
is given; the dialog state holds only JSON, so a restarted bot continues at the same question.
"""

from dialogs.guided.cosell import CosellDialog
from dialogs.guided.profile import ProfileDialog

__all__ = ["CosellDialog", "ProfileDialog"]
