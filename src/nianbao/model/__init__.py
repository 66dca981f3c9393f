"""Typed models of a 政府信息公开工作年度报告 (pydantic, no I/O)."""
