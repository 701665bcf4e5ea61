"""The REST surface of the emulator: kube-apiserver's resource handlers, over aiohttp.

`dispatch.py` parses a resource URL (`routing.py`) and calls the handler for the verb:
`reads.py` (get, list, pagination, Table output), `writes.py` (create, update and the
update pipeline), `patching.py` (the four patch types), `deletes.py`, `scale.py`,
`watching.py` (chunked watch streams) and `logs.py` (pods/log). `decoding.py` turns request
bodies into objects the way the apiserver decodes them (defaults, pruning, unknown fields,
wrong types), `options.py` reads the shared write options, `negotiation.py` picks the
response shape from the Accept header, and `conversion.py` serves stored objects in the
requested version. All handlers share one `ApiContext` (`context.py`).
"""
