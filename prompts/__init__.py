"""Prompt files of the model layer (``*.jinja``), installed as the ``nianbao.prompts`` package so that
they ship in the wheel; see README.md here and ``nianbao.llm.prompts``."""
