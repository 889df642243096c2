"""Pure rules engine: partner capability score, gaps, plans and co-sell readiness.

Imports nothing from botbuilder or aiohttp; reads rule editions, text catalogs and input files only
through :mod:`kernel.files` and :mod:`kernel.texts`. Other layers import :mod:`scoring.api` and
:mod:`scoring.cosell` only.
"""
