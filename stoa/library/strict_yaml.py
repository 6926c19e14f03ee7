"""Strict YAML for library and translation files: safe tags only, no repeated keys, no aliases."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's parser (C) when PyYAML has it: the pure-Python one takes seconds on the larger
# libraries, and the tests load them many times.
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_Base):  # type: ignore[misc]
    """Safe YAML that also refuses repeated keys (the later one would silently win) and
    anchors/aliases (not needed in a library, and a way to blow up validation time)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set[Any] = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    repeated = key in seen
                except TypeError:
                    continue  # unhashable: the base class reports it
                if repeated:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping", node.start_mark, f"the key {key!r} appears twice",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def refuse_aliases(root: Any) -> None:
    """Raise a ComposerError at the anchor of the first node reached twice: the composer turns every alias
    (*name) into the anchored node itself, so a node met again is an alias. The walk visits each
    node once, so even a "billion laughs" file costs only its own size."""
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (*name) are not allowed in library files", node.start_mark)
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            pending.extend(part for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(reversed(node.value))


def load(text: str) -> Any:
    """TEXT parsed strictly (see ``StrictLoader`` and ``refuse_aliases``); raises yaml.YAMLError."""
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        refuse_aliases(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()
