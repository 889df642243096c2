"""A terminal chat client that talks to the bot as a Teams channel does (``partnerbot chat``).

    protocol   ChatClient (Teams-shaped activities to /api/messages) and Connector (the local
               serviceUrl receiving the bot's replies); ChatError for network trouble
    render     Adaptive Cards, hero cards and messages as lines of text, with numbered buttons
    clicks     buttons, and which button a typed line clicks
    text       markdown and Teams HTML as plain text; text bars
    session    the interactive prompt loop and scripted transcripts

Public entry points: :func:`bot.chatclient.session.chat`, :func:`bot.chatclient.session.run_script`,
:class:`bot.chatclient.protocol.ChatClient`, :func:`bot.chatclient.render.render_turn`,
:func:`bot.chatclient.clicks.resolve_click`.
"""
