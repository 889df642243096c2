"""Help, thanks, importing data; the guided dialogs' requests; the router's own acts."""

from __future__ import annotations

from botbuilder.schema import Activity

from dialogs.cards import answers as cards
from dialogs.intents.registry import (
    Question,
    register,
    register_dialog,
    register_router,
    reply,
    t,
    text_reply,
)


@register("help", interrupts=True)
async def help_(question: Question) -> list[Activity]:
    return [reply(cards.help_card(question.lang))]


@register("thanks", interrupts=True)
async def thanks(question: Question) -> list[Activity]:
    return [text_reply(t("answers.thanks", question.lang))]


@register("import_help")
async def import_help(question: Question) -> list[Activity]:
    return [reply(cards.import_card(question.tenant, question.lang))]


register_dialog("enter_data", "profile", needs=())
register_dialog("cosell", "cosell", needs=("offer",))

register_router("cancel")
register_router("language", interrupts=True)
register_router("update_confirm", personal=True)
register_router("update_cancel", personal=True)
register_router("file_save", personal=True)  # dialogs.files: Save / Don't save of a file sent in chat
register_router("file_discard", personal=True)
register_router("export", interrupts=True)  # dialogs.files: the export offered as a file
