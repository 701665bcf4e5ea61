"""CRD schema machinery as apiextensions-apiserver has it, as a pure library.

Import from the modules: `crd.check_crd` (a CustomResourceDefinition on create),
`structural.check_structural` (one openAPIV3Schema), `validate.validate` (a custom resource
against its schema), `prune.prune`, `defaults.apply_defaults` and `defaults.prune_nulls`
(the decode-time steps), and `field.FieldError` (what they report). Nothing here does I/O.
"""
