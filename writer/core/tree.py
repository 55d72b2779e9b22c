"""The manuscript tree: parts, chapters, scenes and notes in order, plus a trash.

A ``part`` is a folder that holds chapters and has no text. A ``chapter`` has its own text
followed by its scenes. A ``scene`` is text. A ``note`` is text that is never exported; notes
may hold other notes, so authors can keep a folder of research. Nodes keep a stable id that
names their file (``docs/<id>.md``) and never changes on rename or move.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from writer.core.errors import TreeError
from writer.core.metadata import DocMeta

NodeKind = Literal["part", "chapter", "scene", "note"]
KINDS: tuple[str, ...] = ("part", "chapter", "scene", "note")
TEXT_KINDS = frozenset({"chapter", "scene", "note"})
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")

# Which kinds each kind may hold; ``None`` is the top level of the manuscript.
ALLOWED_CHILDREN: dict[str | None, frozenset[str]] = {
    None: frozenset({"part", "chapter", "scene", "note"}),
    "part": frozenset({"chapter", "note"}),
    "chapter": frozenset({"scene", "note"}),
    "scene": frozenset(),
    "note": frozenset({"note"}),
}


def new_id() -> str:
    """A short random id, safe as a file name on every platform."""
    return secrets.token_hex(6)


@dataclass
class Node:
    """One part, chapter, scene or note, with its metadata and ordered children."""

    id: str
    kind: str
    meta: DocMeta = field(default_factory=DocMeta)
    children: list[Node] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def has_text(self) -> bool:
        return self.kind in TEXT_KINDS

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, in reading order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class TrashEntry:
    """A node in the trash, with where it was so that restore can put it back."""

    node: Node
    parent_id: str | None
    index: int


class Tree:
    """Ordered nodes and the trash of one project, with the operations authors need."""

    def __init__(self, roots: list[Node] | None = None, trash: list[TrashEntry] | None = None):
        self.roots: list[Node] = roots or []
        self.trash: list[TrashEntry] = trash or []

    # -------------------------------------------------------------- reading

    def walk(self) -> Iterator[Node]:
        """Every node of the manuscript (not the trash), in reading order."""
        for root in self.roots:
            yield from root.walk()

    def walk_trash(self) -> Iterator[Node]:
        for entry in self.trash:
            yield from entry.node.walk()

    def all_nodes(self) -> Iterator[Node]:
        yield from self.walk()
        yield from self.walk_trash()

    def find(self, node_id: str) -> Node:
        for node in self.all_nodes():
            if node.id == node_id:
                return node
        raise TreeError(f"no document with id {node_id!r}")

    def in_trash(self, node_id: str) -> bool:
        return any(node.id == node_id for node in self.walk_trash())

    def _siblings(self, parent_id: str | None) -> list[Node]:
        return self.roots if parent_id is None else self.find(parent_id).children

    def parent_of(self, node_id: str) -> Node | None:
        """The parent of a node in the manuscript (None at the top level)."""
        for node in self.walk():
            if any(child.id == node_id for child in node.children):
                return node
        if any(root.id == node_id for root in self.roots):
            return None
        raise TreeError(f"no document with id {node_id!r} in the manuscript")

    def path_of(self, node_id: str) -> list[Node]:
        """The nodes from the top level down to ``node_id`` (inclusive)."""

        def search(nodes: list[Node], trail: list[Node]) -> list[Node] | None:
            for node in nodes:
                if node.id == node_id:
                    return [*trail, node]
                found = search(node.children, [*trail, node])
                if found:
                    return found
            return None

        found = search(self.roots, []) or search([e.node for e in self.trash], [])
        if found is None:
            raise TreeError(f"no document with id {node_id!r}")
        return found

    # -------------------------------------------------------------- changing

    def _check_child(self, parent: Node | None, kind: str) -> None:
        if kind not in KINDS:
            raise TreeError(f"unknown kind {kind!r}; kinds are: {', '.join(KINDS)}")
        allowed = ALLOWED_CHILDREN[parent.kind if parent else None]
        if kind not in allowed:
            where = f"a {parent.kind}" if parent else "the top level"
            raise TreeError(f"a {kind} cannot go into {where}")

    def add(
        self,
        kind: str,
        title: str = "",
        parent_id: str | None = None,
        index: int | None = None,
        node_id: str | None = None,
    ) -> Node:
        """Create a node under ``parent_id`` (top level when None), at ``index`` or last."""
        if parent_id is not None and self.in_trash(parent_id):
            raise TreeError("cannot add to a document in the trash")
        parent = self.find(parent_id) if parent_id is not None else None
        self._check_child(parent, kind)
        node = Node(id=node_id or new_id(), kind=kind, meta=DocMeta(title=title))
        siblings = self._siblings(parent_id)
        siblings.insert(len(siblings) if index is None else index, node)
        return node

    def _detach(self, node_id: str) -> tuple[Node, str | None, int]:
        parent = self.parent_of(node_id)
        siblings = self.roots if parent is None else parent.children
        index = next(i for i, n in enumerate(siblings) if n.id == node_id)
        return siblings.pop(index), (parent.id if parent else None), index

    def move(self, node_id: str, parent_id: str | None, index: int | None = None) -> None:
        """Move a node (with its children) under another parent or to another place.

        ``index`` counts places as they are before the move, as Qt's drag and drop gives
        them: moving the first of three siblings to index 2 puts it between the others.
        """
        node = self.find(node_id)
        if self.in_trash(node_id):
            raise TreeError("restore a document from the trash before moving it")
        if parent_id is not None:
            if any(n.id == parent_id for n in node.walk()):
                raise TreeError("cannot move a document into itself")
            if self.in_trash(parent_id):
                raise TreeError("cannot move into a document in the trash")
        parent = self.find(parent_id) if parent_id is not None else None
        self._check_child(parent, node.kind)
        _, old_parent, old_index = self._detach(node_id)
        siblings = self._siblings(parent_id)
        if index is None:
            index = len(siblings)
        elif old_parent == parent_id and old_index < index:
            index -= 1  # The node's own slot is gone, so later places shift by one.
        siblings.insert(max(0, min(index, len(siblings))), node)

    def trash_node(self, node_id: str) -> None:
        """Move a node and everything below it to the trash."""
        if self.in_trash(node_id):
            raise TreeError("the document is already in the trash")
        node, parent_id, index = self._detach(node_id)
        self.trash.append(TrashEntry(node, parent_id, index))

    def restore(self, node_id: str) -> None:
        """Put a trashed node back where it was, or at the top level if that place is gone."""
        position = next((i for i, e in enumerate(self.trash) if e.node.id == node_id), None)
        if position is None:
            raise TreeError("only a document at the top of the trash can be restored")
        entry = self.trash[position]
        parent_id = entry.parent_id
        try:
            parent = self.find(parent_id) if parent_id else None
            if parent_id and self.in_trash(parent_id):
                raise TreeError("parent is in the trash")
            self._check_child(parent, entry.node.kind)
        except TreeError:
            parent_id, parent = None, None
        siblings = self._siblings(parent_id)
        index = min(entry.index, len(siblings)) if parent_id == entry.parent_id else len(siblings)
        self.trash.pop(position)
        siblings.insert(index, entry.node)

    def delete_forever(self, node_id: str) -> list[Node]:
        """Remove a trashed node for good; returns the removed nodes (their files go too)."""
        for position, entry in enumerate(self.trash):
            if entry.node.id == node_id:
                self.trash.pop(position)
                return list(entry.node.walk())
        raise TreeError("only a document in the trash can be deleted for good")

    def empty_trash(self) -> list[Node]:
        """Remove every trashed node for good; returns them all."""
        removed = list(self.walk_trash())
        self.trash.clear()
        return removed
