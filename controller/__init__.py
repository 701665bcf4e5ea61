"""The operator process: CLI, configuration, watches that signal workflows, webhook.

This layer stays thin: it turns resource changes into signals and owns the process, but makes
no lifecycle decision (those live in `workflows/`).
"""
