"""What every layer shares: the error type, file and YAML reading, the config folder and the texts.

    kernel.errors   InputError: what is wrong and where; rendered by each front end with a catalog
    kernel.files    config_dir(), strict YAML, UTF-8 text and CSV reading
    kernel.texts    LANGUAGES and the English/Dutch text catalog
    kernel.clock    today(): the real date, or the day the bot runs "as of" (PARTNERBOT_TODAY)

It imports none of ``scoring``, ``dialogs`` or ``bot``, and they may all import it.
"""
